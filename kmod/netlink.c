// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "dom0gpu" (uapi/dom0gpu.yaml): a read-only
 * view of the model. Each message is filled under the model lock, so it
 * holds one generation; a dump whose parts span a model change carries
 * NLM_F_DUMP_INTR. Model changes are multicast to the "events" group.
 *
 * Every operation works in the top-level attribute space, so every request
 * policy has DOM0GPU_A_MAX + 1 entries: 4.19 parses all requests up to the
 * family's maxattr, later kernels take the family's maxattr for any op that
 * sets none. 5.2 to 5.9 have one policy per family, not per operation: the
 * family gets get-cpu's, which holds every attribute any request may carry,
 * and each handler applies its own operation's (d0g_nla_strict()).
 *
 * The addresses of MTRR ranges and Xen's command line reach only callers
 * with CAP_SYS_ADMIN or CAP_NET_ADMIN, as /proc/mtrr hides addresses (and
 * sysfs makes those files 0400); others get the rest of the reply and a
 * "restricted" flag.
 */
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include "facts.h"
#include "model.h"
#include "netlink.h"

enum d0g_nl_mcgrp {
	D0G_NL_MCGRP_EVENTS,
};

/* Parts of the snapshot that a "get" operation replies with. */
#define D0G_NL_VERSION		BIT(0)
#define D0G_NL_PAT		BIT(1)
#define D0G_NL_NVIDIA		BIT(2)
#define D0G_NL_MTRR		BIT(3)
#define D0G_NL_HYPERVISOR	BIT(4)
#define D0G_NL_XEN		BIT(5)
#define D0G_NL_IOMMU		BIT(6)
#define D0G_NL_GPUS		BIT(7)
#define D0G_NL_SNAPSHOT		(BIT(8) - 1)
#define D0G_NL_ONE_CPU		BIT(8)
#define D0G_NL_ONE_GPU		BIT(9)

static const unsigned long d0g_nl_get_parts[] = {
	[DOM0GPU_CMD_GET_SNAPSHOT]	= D0G_NL_SNAPSHOT,
	[DOM0GPU_CMD_GET_MTRR]		= D0G_NL_MTRR,
	[DOM0GPU_CMD_GET_XEN]		= D0G_NL_HYPERVISOR | D0G_NL_XEN,
	[DOM0GPU_CMD_GET_IOMMU]		= D0G_NL_IOMMU,
};

static const u8 d0g_nl_event_cmd[] = {
	[D0G_EVENT_CPU_ONLINE]		= DOM0GPU_CMD_CPU_ONLINE,
	[D0G_EVENT_CPU_OFFLINE]		= DOM0GPU_CMD_CPU_OFFLINE,
	[D0G_EVENT_GPU_ADDED]		= DOM0GPU_CMD_GPU_ADD,
	[D0G_EVENT_GPU_REMOVED]		= DOM0GPU_CMD_GPU_DEL,
	[D0G_EVENT_GPU_CHANGED]		= DOM0GPU_CMD_GPU_CHANGE,
	[D0G_EVENT_NVIDIA_LOADED]	= DOM0GPU_CMD_NVIDIA_LOAD,
	[D0G_EVENT_NVIDIA_UNLOADED]	= DOM0GPU_CMD_NVIDIA_UNLOAD,
	[D0G_EVENT_NVIDIA_COMING]	= DOM0GPU_CMD_NVIDIA_COMING,
};

/* Requests of every operation but get-cpu's do carry no attribute. */
static const struct nla_policy d0g_nl_none_policy[DOM0GPU_A_MAX + 1] = {};

static const struct nla_policy d0g_nl_get_cpu_policy[DOM0GPU_A_MAX + 1] = {
	[DOM0GPU_A_CPU]		= { .type = NLA_NESTED },
};

static const struct nla_policy d0g_nl_cpu_policy[DOM0GPU_A_CPU_MAX + 1] = {
	[DOM0GPU_A_CPU_ID]	= { .type = NLA_U32 },
};

static struct genl_family d0g_nl_family;

/*
 * A message is filled twice by the same code: first with no skb, which only
 * adds up the room each attribute takes, then into an skb of that size. So
 * the size can never disagree with what is written.
 */
struct d0g_nl_msg {
	struct sk_buff *skb;		/* NULL: only measure */
	size_t size;
	bool privileged;
};

static int d0g_nl_put(struct d0g_nl_msg *m, int type, int len,
		      const void *data, int pad)
{
	if (!m->skb) {
		m->size += pad ? nla_total_size_64bit(len) : nla_total_size(len);
		return 0;
	}
	if (pad)
		return nla_put_64bit(m->skb, type, len, data, pad);
	return nla_put(m->skb, type, len, data);
}

static int d0g_nl_nest_start(struct d0g_nl_msg *m, int type,
			     struct nlattr **nest)
{
	*nest = NULL;
	if (!m->skb) {
		m->size += nla_total_size(0);
		return 0;
	}
	*nest = nla_nest_start(m->skb, type);
	return *nest ? 0 : -EMSGSIZE;
}

static void d0g_nl_nest_end(struct d0g_nl_msg *m, struct nlattr *nest)
{
	if (m->skb)
		nla_nest_end(m->skb, nest);
}

/* One fact's value as its format's netlink type (facts.h). */
static int d0g_nl_put_value(struct d0g_nl_msg *m,
			    const struct d0g_section *sec,
			    const struct d0g_fact *f, const union d0g_value *v)
{
	int type = f->nl_attr;
	const char *str;
	unsigned int i;
	u32 u32v;
	u16 u16v;
	u8 u8v;

	switch (f->fmt) {
	case D0G_FMT_BOOL:
	case D0G_FMT_U8:
		u8v = f->fmt == D0G_FMT_BOOL ? !!v->u : v->u;
		return d0g_nl_put(m, type, sizeof(u8v), &u8v, 0);
	case D0G_FMT_X16:
		u16v = v->u;
		return d0g_nl_put(m, type, sizeof(u16v), &u16v, 0);
	case D0G_FMT_X64:
	case D0G_FMT_U64:
		return d0g_nl_put(m, type, sizeof(v->u), &v->u, sec->nl_pad);
	case D0G_FMT_STR:
	case D0G_FMT_ENUM_STR:
		str = f->fmt == D0G_FMT_STR ? v->str : f->name(v->u);
		return d0g_nl_put(m, type, strlen(str) + 1, str, 0);
	case D0G_FMT_FLAG:
		return v->u ? d0g_nl_put(m, type, 0, NULL, 0) : 0;
	case D0G_FMT_LAYOUT:
		for (i = 0; i < D0G_PAT_ENTRIES; i++) {
			u32v = d0g_pat_entry_type(v->u, i);
			if (d0g_nl_put(m, type, sizeof(u32v), &u32v, 0))
				return -EMSGSIZE;
		}
		return 0;
	default:	/* U32, S32, X24, X32, ENUM: 32 bits */
		u32v = v->u;
		return d0g_nl_put(m, type, sizeof(u32v), &u32v, 0);
	}
}

/* Every netlink fact of a section that is present for this reader. */
static int d0g_nl_put_facts(struct d0g_nl_msg *m,
			    const struct d0g_section *sec, const void *obj,
			    unsigned int index)
{
	struct d0g_fact_ctx ctx = {
		.obj = obj, .index = index, .privileged = m->privileged,
	};
	const struct d0g_fact *f;
	union d0g_value v;

	for (f = sec->facts; f->get; f++) {
		if (!f->nl_attr || d0g_fact_get(&ctx, f, &v))
			continue;
		if (d0g_nl_put_value(m, sec, f, &v))
			return -EMSGSIZE;
	}
	return 0;
}

static int d0g_nl_put_nest(struct d0g_nl_msg *m, int type,
			   const struct d0g_section *sec, const void *obj,
			   unsigned int index)
{
	struct nlattr *nest;

	if (d0g_nl_nest_start(m, type, &nest) ||
	    d0g_nl_put_facts(m, sec, obj, index))
		return -EMSGSIZE;
	d0g_nl_nest_end(m, nest);
	return 0;
}

/* The mtrr nest: its registers, then its ranges and fixed registers. */
static int d0g_nl_put_mtrr(struct d0g_nl_msg *m)
{
	const struct d0g_mtrr *mtrr = &d0g_model.mtrr;
	struct nlattr *nest;
	unsigned int i;

	if (d0g_nl_nest_start(m, DOM0GPU_A_MTRR, &nest) ||
	    d0g_nl_put_facts(m, &d0g_sec_mtrr, mtrr, 0))
		return -EMSGSIZE;
	for (i = 0; mtrr->readable && i < mtrr->nr_var; i++)
		if (d0g_nl_put_nest(m, DOM0GPU_A_MTRR_VAR, &d0g_sec_mtrr_var,
				    &mtrr->var[i], i))
			return -EMSGSIZE;
	if (d0g_nl_put_facts(m, &d0g_sec_mtrr_fixed, mtrr, 0))
		return -EMSGSIZE;
	d0g_nl_nest_end(m, nest);
	return 0;
}

/* What a message holds: parts of the snapshot, or one CPU or GPU. */
struct d0g_nl_what {
	unsigned long parts;		/* D0G_NL_* */
	unsigned int cpu;		/* D0G_NL_ONE_CPU */
	const struct d0g_gpu *gpu;	/* D0G_NL_ONE_GPU */
};

static int d0g_nl_fill(struct d0g_nl_msg *m, const struct d0g_nl_what *w)
{
	static const struct {
		unsigned long part;
		int nest;
		const struct d0g_section *sec;
		const void *obj;
	} nests[] = {
		{ D0G_NL_PAT, DOM0GPU_A_PAT, &d0g_sec_pat, &d0g_model.pat },
		{ D0G_NL_NVIDIA, DOM0GPU_A_NVIDIA, &d0g_sec_nvidia,
		  &d0g_model.nvidia },
		{ D0G_NL_HYPERVISOR, DOM0GPU_A_HYPERVISOR, &d0g_sec_hypervisor,
		  &d0g_model.hypervisor },
		{ D0G_NL_XEN, DOM0GPU_A_XEN, &d0g_sec_xen, &d0g_model.xen },
		{ D0G_NL_IOMMU, DOM0GPU_A_IOMMU, &d0g_sec_iommu,
		  &d0g_model.iommu },
	};
	const struct d0g_gpu *g;
	unsigned int i;

	if ((w->parts & D0G_NL_VERSION) &&
	    d0g_nl_put_facts(m, &d0g_sec_top, &d0g_model, 0))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(nests); i++)
		if ((w->parts & nests[i].part) &&
		    d0g_nl_put_nest(m, nests[i].nest, nests[i].sec,
				    nests[i].obj, 0))
			return -EMSGSIZE;
	if ((w->parts & D0G_NL_MTRR) && d0g_nl_put_mtrr(m))
		return -EMSGSIZE;
	if (w->parts & D0G_NL_GPUS)
		list_for_each_entry(g, &d0g_model.gpus, node)
			if (d0g_nl_put_nest(m, DOM0GPU_A_GPU, &d0g_sec_gpu, g, 0))
				return -EMSGSIZE;
	if ((w->parts & D0G_NL_ONE_GPU) &&
	    d0g_nl_put_nest(m, DOM0GPU_A_GPU, &d0g_sec_gpu, w->gpu, 0))
		return -EMSGSIZE;
	if ((w->parts & D0G_NL_ONE_CPU) &&
	    d0g_nl_put_nest(m, DOM0GPU_A_CPU, &d0g_sec_cpu,
			    &d0g_model.pat.cpus[w->cpu], w->cpu))
		return -EMSGSIZE;
	return 0;
}

static bool d0g_nl_privileged(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN) ||
	       netlink_capable(skb, CAP_NET_ADMIN);
}

/* Every message starts with the generation it was taken from. */
static void *d0g_nl_msg_start(struct sk_buff *skb, u32 portid, u32 seq,
			      int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &d0g_nl_family, flags, cmd);
	if (hdr && nla_put_u64_64bit(skb, DOM0GPU_A_GENERATION,
				     d0g_model.generation, DOM0GPU_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return NULL;
	}
	return hdr;
}

/* A whole message, measured then filled. Model lock held. */
static struct sk_buff *d0g_nl_build(const struct d0g_nl_what *w,
				    bool privileged, u32 portid, u32 seq,
				    u8 cmd)
{
	struct d0g_nl_msg m = {
		.size = nla_total_size_64bit(sizeof(u64)),	/* generation */
		.privileged = privileged,
	};
	void *hdr;

	d0g_nl_fill(&m, w);
	m.skb = genlmsg_new(m.size, GFP_KERNEL);
	if (!m.skb)
		return ERR_PTR(-ENOMEM);
	hdr = d0g_nl_msg_start(m.skb, portid, seq, 0, cmd);
	if (!hdr || d0g_nl_fill(&m, w)) {
		nlmsg_free(m.skb);
		return ERR_PTR(-EMSGSIZE);
	}
	genlmsg_end(m.skb, hdr);
	return m.skb;
}

/* get-snapshot, get-mtrr, get-xen, get-iommu. */
static int d0g_nl_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;
	struct d0g_nl_what w = { .parts = d0g_nl_get_parts[cmd] };
	struct sk_buff *msg;
	int err;

	err = d0g_nla_strict(nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
			     nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
			     DOM0GPU_A_MAX, d0g_nl_none_policy, info->extack);
	if (err)
		return err;

	d0g_model_lock();
	msg = d0g_nl_build(&w, d0g_nl_privileged(skb), info->snd_portid,
			   info->snd_seq, cmd);
	d0g_model_unlock();
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_reply(msg, info);
}

static int d0g_nl_get_cpu_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *req = info->attrs[DOM0GPU_A_CPU];
	struct nlattr *tb[DOM0GPU_A_CPU_MAX + 1];
	struct d0g_nl_what w = { .parts = D0G_NL_ONE_CPU };
	struct sk_buff *msg;
	int err;

	err = d0g_nla_strict(nlmsg_attrdata(info->nlhdr, GENL_HDRLEN),
			     nlmsg_attrlen(info->nlhdr, GENL_HDRLEN),
			     DOM0GPU_A_MAX, d0g_nl_get_cpu_policy,
			     info->extack);
	if (err)
		return err;
	if (!req) {
		NL_SET_ERR_MSG(info->extack, "missing cpu nest");
		return -EINVAL;
	}
	err = d0g_nla_parse_nested(tb, DOM0GPU_A_CPU_MAX, req,
				   d0g_nl_cpu_policy, info->extack);
	if (err)
		return err;
	if (!tb[DOM0GPU_A_CPU_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, req, "missing cpu id");
		return -EINVAL;
	}
	w.cpu = nla_get_u32(tb[DOM0GPU_A_CPU_ID]);

	d0g_model_lock();
	if (w.cpu >= d0g_model.pat.nr_slots) {
		d0g_model_unlock();
		NL_SET_ERR_MSG_ATTR(info->extack, tb[DOM0GPU_A_CPU_ID],
				    "cpu id is not a possible CPU");
		return -ERANGE;
	}
	msg = d0g_nl_build(&w, d0g_nl_privileged(skb), info->snd_portid,
			   info->snd_seq, DOM0GPU_CMD_GET_CPU);
	d0g_model_unlock();
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	return genlmsg_reply(msg, info);
}

/*
 * Dumps take no attribute. The core validates the request against the op's
 * policy, but get-cpu shares its policy with its do, which takes one.
 */
static int d0g_nl_dump_start(struct netlink_callback *cb)
{
	if (nlmsg_attrlen(cb->nlh, GENL_HDRLEN) > 0) {
		NL_SET_ERR_MSG(d0g_cb_extack(cb), "dump takes no attributes");
		return -EINVAL;
	}
	return 0;
}

/*
 * Parts of a dump are filled under separate holds of the model lock:
 * genl_dump_check_consistent() flags a part whose generation differs from
 * the previous part's. Model lock held.
 */
static void *d0g_nl_dump_msg_start(struct sk_buff *skb,
				   struct netlink_callback *cb, u8 cmd)
{
	void *hdr;

	cb->seq = lower_32_bits(d0g_model.generation);
	hdr = d0g_nl_msg_start(skb, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/* A part that holds nothing means the next message can never fit. */
static int d0g_nl_dump_ret(struct sk_buff *skb, int err)
{
	return err && !skb->len ? err : skb->len;
}

/*
 * One message of a dump: the part @w into @skb, or nothing when it does not
 * fit. Model lock held.
 */
static int d0g_nl_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			   u8 cmd, const struct d0g_nl_what *w)
{
	struct d0g_nl_msg m = {
		.skb = skb,
		.privileged = d0g_nl_privileged(cb->skb),
	};
	void *hdr;

	hdr = d0g_nl_dump_msg_start(skb, cb, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (d0g_nl_fill(&m, w)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* One message per online CPU; cb->args[0] is the next CPU to look at. */
static int d0g_nl_get_cpu_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct d0g_nl_what w = { .parts = D0G_NL_ONE_CPU };
	unsigned int cpu = cb->args[0];
	int err = 0;

	d0g_model_lock();
	for (; cpu < d0g_model.pat.nr_slots; cpu++) {
		if (!d0g_model.pat.cpus[cpu].online)
			continue;
		w.cpu = cpu;
		err = d0g_nl_dump_one(skb, cb, DOM0GPU_CMD_GET_CPU, &w);
		if (err)
			break;
	}
	d0g_model_unlock();
	cb->args[0] = cpu;
	return d0g_nl_dump_ret(skb, err);
}

/* One message per GPU; cb->args[0] is how many were sent. */
static int d0g_nl_get_gpu_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct d0g_nl_what w = { .parts = D0G_NL_ONE_GPU };
	const struct d0g_gpu *g;
	long i = 0;
	int err = 0;

	d0g_model_lock();
	list_for_each_entry(g, &d0g_model.gpus, node) {
		if (i++ < cb->args[0])
			continue;
		w.gpu = g;
		err = d0g_nl_dump_one(skb, cb, DOM0GPU_CMD_GET_GPU, &w);
		if (err)
			break;
		cb->args[0] = i;
	}
	d0g_model_unlock();
	return d0g_nl_dump_ret(skb, err);
}

static const struct genl_ops d0g_nl_ops[] = {
	{
		.cmd	= DOM0GPU_CMD_GET_SNAPSHOT,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_CPU,
		.doit	= d0g_nl_get_cpu_doit,
		.start	= d0g_nl_dump_start,
		.dumpit	= d0g_nl_get_cpu_dumpit,
		D0G_GENL_OP_POLICY(d0g_nl_get_cpu_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_MTRR,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_XEN,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_IOMMU,
		.doit	= d0g_nl_get_doit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
	{
		.cmd	= DOM0GPU_CMD_GET_GPU,
		.start	= d0g_nl_dump_start,
		.dumpit	= d0g_nl_get_gpu_dumpit,
		D0G_GENL_OP_POLICY(d0g_nl_none_policy)
	},
};

static const struct genl_multicast_group d0g_nl_mcgrps[] = {
	[D0G_NL_MCGRP_EVENTS]	= { .name = DOM0GPU_MCGRP_EVENTS },
};

static struct genl_family d0g_nl_family = {
	.name		= DOM0GPU_FAMILY_NAME,
	.version	= DOM0GPU_FAMILY_VERSION,
	.maxattr	= DOM0GPU_A_MAX,
	D0G_GENL_FAMILY_POLICY(d0g_nl_get_cpu_policy)
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= d0g_nl_ops,
	.n_ops		= ARRAY_SIZE(d0g_nl_ops),
	.mcgrps		= d0g_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(d0g_nl_mcgrps),
};

/* What an event carries: the CPU, the GPU, or the PAT and the prediction. */
static struct d0g_nl_what d0g_nl_event_what(const struct d0g_event *ev)
{
	switch (ev->kind) {
	case D0G_EVENT_CPU_ONLINE:
	case D0G_EVENT_CPU_OFFLINE:
		return (struct d0g_nl_what){ .parts = D0G_NL_ONE_CPU,
					     .cpu = ev->cpu };
	case D0G_EVENT_NVIDIA_COMING:
	case D0G_EVENT_NVIDIA_LOADED:
	case D0G_EVENT_NVIDIA_UNLOADED:
		return (struct d0g_nl_what){ .parts = D0G_NL_PAT | D0G_NL_NVIDIA };
	default:
		return (struct d0g_nl_what){ .parts = D0G_NL_ONE_GPU,
					     .gpu = ev->gpu };
	}
}

/*
 * Called with the model lock held (d0g_model_changed()), from process
 * context. A listener that cannot be told loses the event; the generation
 * in the next message it reads shows that it missed something.
 */
static int d0g_nl_event(struct notifier_block *nb, unsigned long action,
			void *data)
{
	const struct d0g_event *ev = data;
	struct d0g_nl_what w;
	struct sk_buff *skb;

	if (ev->kind >= ARRAY_SIZE(d0g_nl_event_cmd) ||
	    !d0g_nl_event_cmd[ev->kind])
		return NOTIFY_DONE;
	if (!genl_has_listeners(&d0g_nl_family, &init_net,
				D0G_NL_MCGRP_EVENTS))
		return NOTIFY_DONE;

	/* Listeners are not asked for privilege: they get what anyone may. */
	w = d0g_nl_event_what(ev);
	skb = d0g_nl_build(&w, false, 0, 0, d0g_nl_event_cmd[ev->kind]);
	if (IS_ERR(skb))
		return NOTIFY_DONE;
	genlmsg_multicast(&d0g_nl_family, skb, 0, D0G_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
	return NOTIFY_OK;
}

static struct notifier_block d0g_nl_notifier = {
	.notifier_call = d0g_nl_event,
};

int d0g_netlink_init(void)
{
	int ret;

	ret = genl_register_family(&d0g_nl_family);
	if (ret) {
		pr_err("cannot register generic netlink family: %d\n", ret);
		return ret;
	}
	ret = blocking_notifier_chain_register(&d0g_model_notifier,
					       &d0g_nl_notifier);
	if (ret) {
		genl_unregister_family(&d0g_nl_family);
		return ret;
	}
	return 0;
}

void d0g_netlink_uninit(void)
{
	blocking_notifier_chain_unregister(&d0g_model_notifier,
					   &d0g_nl_notifier);
	genl_unregister_family(&d0g_nl_family);
}

MODULE_ALIAS_GENL_FAMILY(DOM0GPU_FAMILY_NAME);
