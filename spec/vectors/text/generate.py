#!/usr/bin/env python3
"""Builds the ovs-ofctl text corpus: for every flow/group text in src/, what the installed
ovs-ofctl (Open vSwitch 3.1.0) sends for it in OpenFlow 1.3 and how it prints those bytes, or the
error it gives.

usage: spec/vectors/text/generate.py [--tools DIR] [--jobs N] [--only NAME]
  --tools  directory holding dump2hex.py and of13-encode.sh (default: ../shared/tools from the repo
           root); both are small wrappers around ovs-ofctl and a fake OpenFlow 1.3 switch.

Inputs (src/, one text per line; blank lines and lines starting with '#' are skipped; a line
'## SECTION' names the section of the lines that follow):
  flows.txt           valid flow texts             -> flows.jsonl   (ovs-ofctl parse-flow)
  groups.txt          valid group texts            -> groups.jsonl  (ovs-ofctl parse-group)
  commands.txt        VERB [OPTION...] <TAB> TEXT  -> commands.jsonl (sent to a fake switch)
  invalid-flows.txt   flow texts ovs-ofctl rejects -> invalid.jsonl
  invalid-groups.txt  group texts it rejects       -> invalid.jsonl
  invalid-commands.txt VERB <TAB> TEXT             -> invalid.jsonl
  files/*.flows, files/*.groups  add-flows/add-groups files -> files.jsonl (each sent plainly
                      and with --bundle)

Every output line is one JSON object:
  valid:   {"id", "section", "verb", "options", "input", "messages": [{"hex", "print"}], "stderr"}
  invalid: {"id", "section", "verb", "options", "input", "error"}
`print` is `ovs-ofctl ofp-print HEX`; `stderr` is whatever ovs-ofctl logged while encoding
(normalization notices); `error` is ovs-ofctl's error line without the "ovs-ofctl: " prefix.
For parse-flow/parse-group the xid is 1; for commands sent to the fake switch it is whatever
ovs-ofctl used on that connection (tests compare the xid from the vector).
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SRC = os.path.join(HERE, 'src')

LOG_LINE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|\d+\|')


def read_lines(path):
    """(section, text) for each text line of a source file."""
    section = ''
    out = []
    with open(path) as f:
        for raw in f:
            line = raw.rstrip('\n')
            if line.startswith('## '):
                section = line[3:].strip()
                continue
            if not line.strip() or line.startswith('#'):
                continue
            out.append((section, line))
    return out


def ofp_print(hexstr):
    r = subprocess.run(['ovs-ofctl', 'ofp-print', hexstr], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'ofp-print failed for {hexstr}: {r.stderr}')
    return r.stdout


def strip_log_prefix(stderr):
    """ovs-ofctl's log lines without their timestamp/sequence prefix."""
    lines = []
    for l in stderr.splitlines():
        m = LOG_LINE.match(l)
        lines.append(l[m.end():] if m else l)
    return '\n'.join(lines) + ('\n' if lines else '')


def error_of(stderr):
    for l in stderr.splitlines():
        if l.startswith('ovs-ofctl: '):
            return l[len('ovs-ofctl: '):]
    return stderr.strip().splitlines()[-1] if stderr.strip() else ''


def parse_offline(tools, verb, text):
    """ovs-ofctl -O OpenFlow13 -mmmmm parse-flow|parse-group TEXT."""
    r = subprocess.run(['ovs-ofctl', '-O', 'OpenFlow13', '-mmmmm', verb, text], capture_output=True, text=True)
    if r.returncode != 0:
        return {'error': error_of(r.stderr)}
    d = subprocess.run([sys.executable, os.path.join(tools, 'dump2hex.py')], input=r.stdout,
                       capture_output=True, text=True, check=True)
    hexes = [h for h in d.stdout.split('\n') if h]
    return {'messages': [{'hex': h, 'print': ofp_print(h)} for h in hexes],
            'stderr': strip_log_prefix(r.stderr)}


def send_to_switch(tools, verb, options, args):
    """of13-encode.sh [OPTIONS] VERB SWITCH ARGS...: the messages ovs-ofctl sends."""
    cmd = ['bash', os.path.join(tools, 'of13-encode.sh'), *options, verb, 'SWITCH', *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    rc = None
    stderr = []
    hexes = []
    for l in r.stdout.splitlines():
        m = re.match(r'^# ovs-ofctl .*\(rc=(\d+)\)$', l)
        if m:
            rc = int(m.group(1))
        elif l.startswith('# ofctl: '):
            stderr.append(l[len('# ofctl: '):])
        elif re.fullmatch(r'[0-9a-f]+', l):
            hexes.append(l)
    if rc is None:
        raise RuntimeError(f'of13-encode.sh gave no result for {cmd}: {r.stdout} {r.stderr}')
    err_text = '\n'.join(stderr) + ('\n' if stderr else '')
    if rc != 0:
        return {'error': error_of(err_text)}
    return {'messages': [{'hex': h, 'print': ofp_print(h)} for h in hexes],
            'stderr': strip_log_prefix(err_text)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tools', default=os.path.join(ROOT, '..', 'shared', 'tools'))
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--only', help='regenerate one output (flows, groups, commands, files, invalid)')
    a = ap.parse_args()
    tools = os.path.abspath(a.tools)
    problems = []

    def want(name):
        return a.only is None or a.only == name

    def run_all(jobs, fn):
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
            return list(ex.map(fn, range(len(tasks))))

    outputs = {}

    if want('flows') or want('groups'):
        for name, verb in (('flows', 'parse-flow'), ('groups', 'parse-group')):
            if not want(name):
                continue
            tasks = read_lines(os.path.join(SRC, f'{name}.txt'))
            res = run_all(4, lambda i, verb=verb, tasks=tasks: parse_offline(tools, verb, tasks[i][1]))
            recs = []
            seen = set()
            for i, ((section, text), r) in enumerate(zip(tasks, res)):
                if text in seen:
                    problems.append(f'{name}: duplicate text {text!r}')
                seen.add(text)
                if 'error' in r:
                    problems.append(f'{name}: ovs-ofctl rejects {text!r}: {r["error"]}')
                    continue
                recs.append({'id': f'{name}/{len(recs) + 1:04d}', 'section': section,
                             'verb': 'add-flow' if name == 'flows' else 'add-group', 'options': [],
                             'input': text, **r})
            outputs[name] = recs

    if want('commands'):
        tasks = []
        for section, line in read_lines(os.path.join(SRC, 'commands.txt')):
            head, text = line.split('\t', 1)
            verb, *options = head.split()
            tasks.append((section, verb, options, text))
        res = run_all(a.jobs, lambda i: send_to_switch(tools, tasks[i][1], tasks[i][2], [tasks[i][3]]))
        recs = []
        for (section, verb, options, text), r in zip(tasks, res):
            if 'error' in r:
                problems.append(f'commands: ovs-ofctl rejects {verb} {text!r}: {r["error"]}')
                continue
            recs.append({'id': f'commands/{len(recs) + 1:04d}', 'section': section, 'verb': verb,
                         'options': options, 'input': text, **r})
        outputs['commands'] = recs

    if want('files'):
        tasks = []
        for path in sorted(glob.glob(os.path.join(SRC, 'files', '*'))):
            rel = os.path.relpath(path, HERE)
            verb = 'add-flows' if path.endswith('.flows') else 'add-groups'
            with open(path) as f:
                content = f.read()
            for options in ([], ['--bundle']):
                tasks.append((rel, verb, options, path, content))
        res = run_all(a.jobs, lambda i: send_to_switch(tools, tasks[i][1], tasks[i][2], [tasks[i][3]]))
        recs = []
        for (rel, verb, options, path, content), r in zip(tasks, res):
            rec = {'id': f'files/{len(recs) + 1:04d}', 'section': rel, 'verb': verb, 'options': options,
                   'file': rel, 'input': content, **r}
            recs.append(rec)
        outputs['files'] = recs

    if want('invalid'):
        tasks = []
        for name, verb in (('invalid-flows', 'add-flow'), ('invalid-groups', 'add-group')):
            for section, text in read_lines(os.path.join(SRC, f'{name}.txt')):
                tasks.append((section, verb, [], text))
        for section, line in read_lines(os.path.join(SRC, 'invalid-commands.txt')):
            head, text = line.split('\t', 1)
            verb, *options = head.split()
            tasks.append((section, verb, options, text))

        def run_invalid(i):
            section, verb, options, text = tasks[i]
            if verb in ('add-flow', 'add-group') and not options:
                return parse_offline(tools, 'parse-flow' if verb == 'add-flow' else 'parse-group', text)
            return send_to_switch(tools, verb, options, [text])

        res = run_all(a.jobs, run_invalid)
        recs = []
        seen = set()
        for (section, verb, options, text), r in zip(tasks, res):
            if (verb, tuple(options), text) in seen:
                problems.append(f'invalid: duplicate text {text!r}')
            seen.add((verb, tuple(options), text))
            if 'error' not in r:
                problems.append(f'invalid: ovs-ofctl accepts {verb} {text!r}')
                continue
            recs.append({'id': f'invalid/{len(recs) + 1:04d}', 'section': section, 'verb': verb,
                         'options': options, 'input': text, 'error': r['error']})
        outputs['invalid'] = recs

    for name, recs in outputs.items():
        with open(os.path.join(HERE, f'{name}.jsonl'), 'w') as f:
            for rec in recs:
                f.write(json.dumps(rec, sort_keys=False) + '\n')
        print(f'{name}.jsonl: {len(recs)} records', file=sys.stderr)
    for p in problems:
        print('PROBLEM: ' + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
