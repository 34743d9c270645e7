#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes a `promtool test rules` file from real dom0gpu-stat --prometheus
outputs: each case's samples become constant series of one host
(instance=<case>, job="node") for 30 minutes, and every alert of the rules
file is checked at 30m: those named for the case must fire (with the
rule's labels and the host's), all others must not.

Two more groups model what node_exporter adds around the textfile
(node_textfile_mtime_seconds, up) to check the stale and missing alerts,
over one case's real samples.

Usage: prom_cases.py RULES OUT.yml STALE_CASE CASE=FILE=ALERT,ALERT... ...
"""

import re
import sys

import yaml

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')
MINUTES = 30
RULES, NOTES = {}, {}


def samples(path):
    """(name, labels text, value) of every sample of an exposition file."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = SAMPLE.match(line)
            if not m:
                sys.exit("prom_cases: %s: not a sample: %r" % (path, line))
            labels = m.group(3) or ""
            if LABEL.sub("", labels):
                sys.exit("prom_cases: %s: bad labels: %r" % (path, labels))
            out.append((m.group(1), labels, m.group(4)))
    return out


def series(name, labels, host, values):
    extra = 'instance="%s",job="node"' % host
    return {"series": "%s{%s}" % (name, labels + "," + extra if labels else extra),
            "values": values}


def expanded(annotations, host):
    """The annotations as Prometheus renders them: they use $labels.instance only."""
    out = {}
    for k, v in annotations.items():
        v = v.replace("{{ $labels.instance }}", host)
        if "{{" in v:
            sys.exit("prom_cases: annotation %s uses more than $labels.instance: %r" % (k, v))
        out[k] = v
    return out


def expect(alert, host, **labels):
    return {"exp_labels": dict(RULES[alert], instance=host, job="node", **labels),
            "exp_annotations": expanded(NOTES[alert], host)}


def alert_tests(rules, host, firing, at):
    tests = []
    for alert in rules:
        exp = []
        if alert in firing:
            exp = [expect(alert, host)]
        tests.append({"eval_time": at, "alertname": alert, "exp_alerts": exp})
    return tests


def main():
    rules_file, out, stale_case = sys.argv[1:4]
    with open(rules_file, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    rules = {r["alert"]: r.get("labels", {}) for g in doc["groups"] for r in g["rules"]
             if "alert" in r}
    notes = {r["alert"]: r.get("annotations", {}) for g in doc["groups"] for r in g["rules"]
             if "alert" in r}
    RULES.update(rules)
    NOTES.update(notes)
    tests, files = [], {}
    for arg in sys.argv[4:]:
        case, path, alerts = arg.split("=", 2)
        firing = set(a for a in alerts.split(",") if a)
        unknown = firing - set(rules)
        if unknown:
            sys.exit("prom_cases: no such alert: %s" % ", ".join(sorted(unknown)))
        files[case] = path
        tests.append({
            "interval": "1m",
            "input_series": [series(n, l, case, "%sx%d" % (v, MINUTES))
                             for n, l, v in samples(path)],
            "alert_rule_test": alert_tests(rules, case, firing, "%dm" % MINUTES),
        })
    # Fresh, then frozen: the timer rewrote the file every minute for 10
    # minutes, then stopped (mtime in seconds since the epoch, at 0 = start).
    base = [s for s in samples(files[stale_case])]
    host = stale_case + "-stale"
    tests.append({
        "interval": "1m",
        "input_series": [series(n, l, host, "%sx%d" % (v, MINUTES)) for n, l, v in base] + [
            {"series": 'node_textfile_mtime_seconds{file="/var/lib/prometheus/node-exporter/'
                       'dom0gpu.prom",instance="%s",job="node"}' % host,
             "values": "0+60x10 600x%d" % (MINUTES - 10)}],
        "alert_rule_test": [
            {"eval_time": "9m", "alertname": "Dom0gpuReportStale", "exp_alerts": []},
            {"eval_time": "%dm" % MINUTES, "alertname": "Dom0gpuReportStale",
             "exp_alerts": [expect("Dom0gpuReportStale", host,
                                   file="/var/lib/prometheus/node-exporter/dom0gpu.prom")]}],
    })
    # The file is gone after 10 minutes while node_exporter stays up.
    host = stale_case + "-gone"
    tests.append({
        "interval": "1m",
        "input_series": [series(n, l, host, "%sx10 _x%d" % (v, MINUTES - 10))
                         for n, l, v in base] + [
            {"series": 'up{instance="%s",job="node"}' % host, "values": "1x%d" % MINUTES}],
        "alert_rule_test": [
            {"eval_time": "9m", "alertname": "Dom0gpuReportMissing", "exp_alerts": []},
            {"eval_time": "%dm" % MINUTES, "alertname": "Dom0gpuReportMissing",
             "exp_alerts": [expect("Dom0gpuReportMissing", host)]}],
    })
    with open(out, "w", encoding="utf-8") as f:
        yaml.safe_dump({"rule_files": [rules_file], "evaluation_interval": "1m",
                        "tests": tests}, f, sort_keys=False)


main()
