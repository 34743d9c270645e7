#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The XAPI plugin (packaging/xcp-ng/xapi/dom0gpu): its functions, and its
calls through xapi's plugin protocol (xapi/xapi_call.py says what xapi
does, from xen-api's ocaml/xapi/xapi_plugins.ml), run as xapi runs it: one
argv holding an XML-RPC methodCall, the result an XML-RPC methodResponse.

Usage: plugin_test.py PLUGIN DOM0GPU_STAT FIXTURE_ROOT   (TAP via unittest)
"""

import importlib.machinery
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest
import xmlrpc.client

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "xapi"))
import xapi_call  # noqa: E402  pylint: disable=wrong-import-position
import XenAPIPlugin  # noqa: E402  pylint: disable=wrong-import-position

PLUGIN, STAT, ROOT = sys.argv[1:4]
del sys.argv[1:4]


def load_plugin():
    loader = importlib.machinery.SourceFileLoader("dom0gpu_plugin", PLUGIN)
    spec = importlib.util.spec_from_loader("dom0gpu_plugin", loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class Setup(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.plugins = os.path.join(self.tmp, "plugins")
        os.mkdir(self.plugins)
        shutil.copy(PLUGIN, os.path.join(self.plugins, "dom0gpu"))
        # dom0gpu-stat of a fixture host; ARGS_LOG records its arguments.
        self.stat = os.path.join(self.tmp, "stat")
        self.args_log = os.path.join(self.tmp, "args")
        with open(self.stat, "w", encoding="utf-8") as f:
            f.write('#!/bin/sh\necho "$*" >"%s"\n[ -z "$STAT_EXIT" ] || '
                    '{ echo "dom0gpu-stat: broken" >&2; exit "$STAT_EXIT"; }\n'
                    'exec "%s" --root "%s" "$@"\n' % (self.args_log, STAT, ROOT))
        os.chmod(self.stat, stat.S_IRWXU)
        self.env = dict(os.environ, DOM0GPU_STAT=self.stat, PYTHONPATH=os.path.join(HERE, "xapi"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def call(self, fn, args, env=None):
        return xapi_call.call_plugin(self.plugins, "OpaqueRef:1", "dom0gpu", fn, args,
                                     env or self.env)

    def stat_args(self):
        with open(self.args_log, encoding="utf-8") as f:
            return f.read().split()


class Functions(Setup):
    """The plugin's functions, called as dispatch() calls them: (session, args)."""

    def setUp(self):
        super().setUp()
        os.environ["DOM0GPU_STAT"] = self.stat
        self.p = load_plugin()

    def tearDown(self):
        del os.environ["DOM0GPU_STAT"]
        super().tearDown()

    def test_report_is_the_json_report(self):
        out = self.p.report("OpaqueRef:1", {})
        self.assertIsInstance(out, str)
        direct = subprocess.run([STAT, "--root", ROOT, "--json"], stdout=subprocess.PIPE,
                                universal_newlines=True, check=False)
        self.assertEqual(json.loads(out)["verdict"], json.loads(direct.stdout)["verdict"])
        self.assertEqual(self.stat_args(), ["--json"])

    def test_probe_args(self):
        self.assertEqual(self.p.stat_command({"probe": "true"})[0][1:], ["--json", "--probe"])
        cmd, limit = self.p.stat_command({"probe": "true", "timeout": "5"})
        self.assertEqual(cmd[1:], ["--json", "--probe", "--timeout", "5"])
        self.assertGreater(limit, 5)
        self.assertEqual(self.p.stat_command({"probe": "false"})[0][1:], ["--json"])

    def test_bad_args_are_failures(self):
        for args, name in (({"probe": "yes"}, "probe"), ({"color": "1"}, "color"),
                           ({"timeout": "5"}, "timeout"),
                           ({"probe": "true", "timeout": "0"}, "timeout"),
                           ({"probe": "true", "timeout": "soon"}, "timeout"),
                           ({"probe": "true", "timeout": "86401"}, "timeout")):
            with self.assertRaises(XenAPIPlugin.Failure) as cm:
                self.p.report("OpaqueRef:1", args)
            self.assertEqual(cm.exception.params[:2], ["DOM0GPU_BAD_ARGUMENT", name], args)

    def test_stat_failure_is_a_failure(self):
        os.environ["STAT_EXIT"] = "64"
        try:
            with self.assertRaises(XenAPIPlugin.Failure) as cm:
                self.p.report("OpaqueRef:1", {})
        finally:
            del os.environ["STAT_EXIT"]
        self.assertEqual(cm.exception.params, ["DOM0GPU_STAT_FAILED", "64",
                                               "dom0gpu-stat: broken"])

    def test_stat_missing_is_a_failure(self):
        self.p.STAT = os.path.join(self.tmp, "nowhere")
        with self.assertRaises(XenAPIPlugin.Failure) as cm:
            self.p.report("OpaqueRef:1", {})
        self.assertEqual(cm.exception.params[0], "DOM0GPU_STAT_MISSING")


class Protocol(Setup):
    """Through xapi's side of the protocol, with the plugin as a process."""

    def test_success_value_is_the_report_string(self):
        out = self.call("report", {})
        self.assertIn(json.loads(out)["verdict"], ("ready", "blocked", "unknown"))

    def test_wire_format(self):
        # What xapi passes: methodCall "report", params (session, struct of strings).
        call = xmlrpc.client.dumps(("OpaqueRef:1", {"probe": "false"}), "report")
        done = subprocess.run([os.path.join(self.plugins, "dom0gpu"), call],
                              stdout=subprocess.PIPE, universal_newlines=True,
                              env=self.env, check=True)
        self.assertIn("<methodResponse>", done.stdout)
        (resp,), method = xmlrpc.client.loads(done.stdout)
        self.assertIsNone(method)
        self.assertEqual(sorted(resp), ["Status", "Value"])
        self.assertEqual(resp["Status"], "Success")
        self.assertIsInstance(resp["Value"], str)
        json.loads(resp["Value"])

    def test_args_reach_dom0gpu_stat(self):
        self.call("report", {"probe": "true", "timeout": "7"})
        self.assertEqual(self.stat_args(), ["--json", "--probe", "--timeout", "7"])

    def test_failure_is_the_api_error(self):
        with self.assertRaises(xapi_call.ApiError) as cm:
            self.call("report", {"probe": "maybe"})
        self.assertEqual(cm.exception.code, "DOM0GPU_BAD_ARGUMENT")
        self.assertEqual(cm.exception.params[0], "probe")

    def test_unknown_function(self):
        with self.assertRaises(xapi_call.ApiError) as cm:
            self.call("reboot", {})
        self.assertEqual((cm.exception.code, cm.exception.params),
                         ("UNKNOWN_XENAPI_PLUGIN_FUNCTION", ["reboot"]))

    def test_missing_plugin(self):
        with self.assertRaises(xapi_call.ApiError) as cm:
            xapi_call.call_plugin(self.plugins, "OpaqueRef:1", "dom0gpu.py", "report", {},
                                  self.env)
        self.assertEqual(cm.exception.code, "XENAPI_MISSING_PLUGIN")


if __name__ == "__main__":
    unittest.main(verbosity=2)
