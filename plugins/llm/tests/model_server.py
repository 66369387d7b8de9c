#!/usr/bin/env python3
"""A stand-in for an OpenAI-compatible chat-completions server (llama.cpp's llama-server, Ollama's
/v1, vLLM) that plays a translating model, for the llm plugin's tests and bench.

It answers from a table keyed by the source (TSV with `source` and `target` columns, in document
order: xlate's own TSV output will do) and checks every request as strictly as the plugin's
contract asks: POST /v1/chat/completions, JSON, `model`, `temperature` 0, `stream` false, the
roles of the messages (system, user; on a retry system, user, assistant, user), the languages in
the system message, the context segments (the preceding sources of the table, their
translations when given), the segment itself. A request that breaks a rule is answered 400 and
logged with what it broke.

  model_server.py --table T.tsv --port-file F [--model M] [--key K] [--log-dir D]
                  [--case NAME:KEY=VALUE:...]... [--context N] [--delay-ms MS]

Each --case is a model of its own under the URL http://127.0.0.1:PORT/NAME/v1 with its log in
D/NAME.log (the plain http://127.0.0.1:PORT/v1 is an obedient one, logged in D/default.log), so
that one server plays every model a test needs. Its keys: mode=MODE, victims=ID+ID,
malformed=ID+ID, rate-limit-first=N, table=PATH (another document's table).

MODE, for the segments whose table ids are listed in victims (the others are answered
obediently): obey, drop-term-once / drop-term-always (the first term of the system message left
out of the answer once, or on the retry too), chatter-once / chatter-always ("Here is the
translation: ..."), merge-once / merge-always (the next segment's translation added),
drop-tag-once (the first <xN/> tag of a masked segment left out once).
rate-limit-first=N answers the first N requests 429 with Retry-After: 1 (a segment asked
again sooner is a violation). malformed answers those ids with a cut-off JSON body. Each
request is one line of the case's log (a GET only its path): its sequence number, the
source, the round (1, or 2 for a retry), the terms of the system message, how many context
segments came with their translation, the status answered
and any violation.
"""
import argparse
import csv
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TERM_LINE = re.compile(r'^translate «(.*)» as «(.*)»$')
SEGMENT_HEAD = 'Segment to translate:\n'
CONTEXT_HEAD = ('Context: the segments before it in the document, for reference only. '
                'Do not translate them.\n')


class Violation(Exception):
    pass


def load_table(path):
    rows = []
    with open(path, newline='', encoding='utf-8') as f:
        for row in csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE):
            rows.append((row.get('id') or str(len(rows) + 1), row['source'], row['target']))
    return rows


class Case:
    """One model the server plays: how it misbehaves, and its log."""

    def __init__(self, name, spec, log_dir):
        self.name = name
        opts = dict(kv.split('=', 1) for kv in spec.split(':') if kv)
        unknown = set(opts) - {'mode', 'victims', 'malformed', 'rate-limit-first', 'table'}
        if unknown:
            raise SystemExit('--case %s: unknown keys %s' % (name, sorted(unknown)))
        self.mode = opts.get('mode', 'obey')
        self.victims = set(filter(None, opts.get('victims', '').split('+')))
        self.malformed = set(filter(None, opts.get('malformed', '').split('+')))
        self.rate_limit_first = int(opts.get('rate-limit-first', 0))
        self.table = opts.get('table')  # a table of its own, for another document
        self.lock = threading.Lock()
        self.seq = 0
        self.posts = 0  # chat requests so far: the first rate-limit-first are refused
        self.refused_at = {}  # id → when it was answered 429
        self.log = open(os.path.join(log_dir, name + '.log'), 'a', encoding='utf-8')

    def record(self, entry):
        with self.lock:
            self.seq += 1
            entry['seq'] = self.seq
            self.log.write(json.dumps(entry, ensure_ascii=False) + '\n')
            self.log.flush()

    def next_seq(self):
        with self.lock:
            return self.seq + 1


class Table:
    """A document's segments in order, and their translations."""

    def __init__(self, path):
        self.rows = load_table(path)
        self.positions = {}  # a source may stand at several places of the document
        for k, (_, source, _) in enumerate(self.rows):
            self.positions.setdefault(source, []).append(k)


class Model:
    def __init__(self, args):
        self.args = args
        self.cases = {'default': Case('default', '', args.log_dir)}
        for c in args.case:
            name, _, spec = c.partition(':')
            self.cases[name] = Case(name, spec, args.log_dir)
        self.tables = {None: Table(args.table)}
        for case in self.cases.values():
            if case.table not in self.tables:
                self.tables[case.table] = Table(case.table)

    # --- the checks of a request ---------------------------------------------------------

    def check(self, case, body):
        a = self.args
        table = self.tables[case.table]
        for key, want in (('model', a.model), ('stream', False)):
            if body.get(key) != want:
                raise Violation('%s is %r, want %r' % (key, body.get(key), want))
        if body.get('temperature') != 0:
            raise Violation('temperature is %r, want 0' % body.get('temperature'))
        unknown = set(body) - {'model', 'temperature', 'stream', 'messages'}
        if unknown:
            raise Violation('unexpected fields %s' % sorted(unknown))
        messages = body.get('messages')
        if not isinstance(messages, list) or not all(
                isinstance(m, dict) and set(m) == {'role', 'content'} and
                isinstance(m['content'], str) for m in messages):
            raise Violation('messages is not a list of {role, content}')
        roles = [m['role'] for m in messages]
        if roles not in (['system', 'user'], ['system', 'user', 'assistant', 'user']):
            raise Violation('roles %s' % roles)
        system = messages[0]['content']
        for name in (a.source_name, a.target_name):
            if name not in system:
                raise Violation('the system message does not name %s' % name)
        terms = [list(TERM_LINE.match(line).groups()) for line in system.split('\n')
                 if TERM_LINE.match(line)]
        user = messages[1]['content']
        head = user.rfind(SEGMENT_HEAD)
        if head < 0:
            raise Violation('no "Segment to translate:" in the user message')
        source = user[head + len(SEGMENT_HEAD):]
        if source not in table.positions:
            raise Violation('segment %r is not in the table' % source)
        for x, _ in terms:
            if x not in source:
                raise Violation('term source %r is not in the segment' % x)
        # the place of the segment is the one its context fits
        problems = []
        for k in table.positions[source]:
            try:
                translated = self.check_context(table, user[:head], k)
                return k, terms, messages, translated
            except Violation as e:
                problems.append(e)
        raise problems[0]

    def check_context(self, table, context, k):
        want = table.rows[max(0, k - self.args.context):k]
        if not want:
            if context:
                raise Violation('context given for the first segment: %r' % context)
            return 0
        if not context.startswith(CONTEXT_HEAD) or not context.endswith('\n\n'):
            raise Violation('the context is not introduced and set apart: %r' % context[:80])
        lines = context[len(CONTEXT_HEAD):-2].split('\n')
        got = []
        for line in lines:
            if line.startswith('Source: '):
                got.append([line[len('Source: '):], None])
            elif line.startswith('Translation: ') and got and got[-1][1] is None:
                got[-1][1] = line[len('Translation: '):]
            else:
                raise Violation('context line %r' % line)
        if [s for s, _ in got] != [s for _, s, _ in want]:
            raise Violation('context sources %r, want %r' % ([s for s, _ in got],
                                                             [s for _, s, _ in want]))
        for (s, t), (_, _, target) in zip(got, want):
            if t is not None and t != target:
                raise Violation('context translation %r of %r, want %r' % (t, s, target))
        return sum(1 for _, t in got if t is not None)

    # --- the answers -----------------------------------------------------------------------

    def answer(self, case, k, terms, messages):
        rows = self.tables[case.table].rows
        rid, _, target = rows[k]
        retry = len(messages) == 4
        mode = case.mode if rid in case.victims else 'obey'
        if retry:
            ask = messages[3]['content']
            if mode.startswith('drop-term') and not ask.startswith(
                    'You did not use the term «%s» for «%s».' % (terms[0][1], terms[0][0])):
                raise Violation('the retry does not name the term: %r' % ask)
            if mode.startswith('chatter') and 'more than the translation' not in ask:
                raise Violation('the retry does not name the chatter: %r' % ask)
            if mode.startswith('drop-tag') and not ask.startswith('You left out the tag <x'):
                raise Violation('the retry does not name the tag: %r' % ask)
            if mode.startswith('merge') and 'not the translation of this one segment' not in ask:
                raise Violation('the retry does not name the merge: %r' % ask)
            if mode == 'obey':
                raise Violation('a retry of an obedient answer: %r' % ask)
        wrong = not retry or mode.endswith('-always')
        if mode.startswith('drop-term') and wrong:
            if not terms:
                raise Violation('segment %s has no term to drop' % rid)
            return re.sub(re.escape(terms[0][1]), 'it', target, flags=re.I)
        if mode.startswith('drop-tag') and wrong:
            return re.sub(r'<x[0-9]+/>', '', target, count=1)
        if mode.startswith('chatter') and wrong:
            return 'Here is the translation: %s' % target
        if mode.startswith('merge') and wrong:
            return '%s %s' % (target, rows[k + 1][2])
        return target


def make_handler(model):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'
        # The head and the body in one write, sent at once: written apart, the body waits for
        # the client's delayed ACK of the head (40 ms a request).
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def send(self, status, body, headers=()):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def authorized(self):
            if not model.args.key:
                return self.headers.get('Authorization') is None
            return self.headers.get('Authorization') == 'Bearer ' + model.args.key

        def route(self, endpoint):
            m = re.match(r'^(?:/([a-z0-9-]+))?/v1/' + endpoint + '$', self.path)
            return model.cases.get(m.group(1) or 'default') if m else None

        def do_GET(self):
            case = self.route('models')
            if not case:
                return self.send(404, {'error': {'message': 'no such path ' + self.path}})
            ok = self.authorized()
            case.record({'get': self.path, 'status': 200 if ok else 401})
            if not ok:
                return self.send(401, {'error': {'message': 'invalid api key'}})
            self.send(200, {'object': 'list', 'data': [{'id': model.args.model,
                                                        'object': 'model'}]})

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
            entry = {'source': None, 'round': None, 'terms': None, 'violation': None}
            status, answer, headers = 200, None, ()
            case = self.route('chat/completions') or model.cases['default']
            try:
                if not self.route('chat/completions'):
                    raise Violation('path %s' % self.path)
                if self.headers.get('Content-Type') != 'application/json':
                    raise Violation('Content-Type %s' % self.headers.get('Content-Type'))
                if not self.authorized():
                    status, answer = 401, {'error': {'message': 'invalid api key'}}
                else:
                    k, terms, messages, translated = model.check(case, json.loads(body))
                    rows = model.tables[case.table].rows
                    rid = rows[k][0]
                    entry.update(id=rid, source=rows[k][1], round=len(messages) // 2,
                                 terms=terms, context_translations=translated)
                    refused = case.refused_at.get(rid)
                    if refused is not None and time.monotonic() - refused < 1.0:
                        raise Violation('segment %s asked again before its Retry-After' % rid)
                    with case.lock:
                        case.posts += 1
                        limited = case.posts <= case.rate_limit_first
                    if limited:
                        case.refused_at[rid] = time.monotonic()
                        status, headers = 429, (('Retry-After', '1'),)
                        answer = {'error': {'message': 'rate limited'}}
                    elif rid in case.malformed:
                        answer = b'{"choices": [{"message": {"content": "cut'
                    else:
                        text = model.answer(case, k, terms, messages)
                        entry['answer'] = text
                        answer = {'id': 'chatcmpl-%d' % case.next_seq(),
                                  'object': 'chat.completion', 'model': model.args.model,
                                  'choices': [{'index': 0, 'finish_reason': 'stop',
                                               'message': {'role': 'assistant', 'content': text}}]}
            except (Violation, ValueError, KeyError) as e:
                entry['violation'] = str(e)
                status, answer = 400, {'error': {'message': 'test server: %s' % e}}
            if model.args.delay_ms:
                time.sleep(model.args.delay_ms / 1000.0)
            entry['status'] = status
            case.record(entry)
            self.send(status, answer, headers)

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--table', required=True)
    p.add_argument('--port-file', required=True)
    p.add_argument('--model', default='test-model')
    p.add_argument('--key')
    p.add_argument('--log-dir', default='.')
    p.add_argument('--case', action='append', default=[])
    p.add_argument('--context', type=int, default=3)
    p.add_argument('--delay-ms', type=int, default=0)
    p.add_argument('--source-name', default='Ukrainian (uk)')
    p.add_argument('--target-name', default='English (en)')
    args = p.parse_args()
    # A listen backlog for every request in flight: socketserver's 5 drops the SYNs of more
    # parallel connections, which the client sends again only a second later.
    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(('127.0.0.1', 0), make_handler(Model(args)))
    server.daemon_threads = True
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == '__main__':
    sys.exit(main())
