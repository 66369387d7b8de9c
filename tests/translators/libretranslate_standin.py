#!/usr/bin/env python3
"""A local stand-in for a LibreTranslate server, for the http plugin's tests.

It follows LibreTranslate's published API (GET /languages; POST /translate with q as a string or
an array, source, target, format "text" or "html", api_key; answers {"translatedText": ...} or
{"error": ...} with 400/403/429/500) and translates for real with the Apertium pairs installed
on the machine, through one persistent null-flush pipeline per pair, as Apertium's APy does.

  libretranslate_standin.py [--port 0] [--port-file F] [--api-key K] [--fail-first N]

--port 0 picks a free loopback port, written to --port-file once the server listens.
--fail-first N answers the first N translate requests with 429 and Retry-After: 1, as a
rate-limited server does, so that clients' retries can be tested.
"""
import argparse
import glob
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = '/usr/share/apertium/modes'
TWO_LETTER = {'eng': 'en', 'spa': 'es', 'ukr': 'uk', 'rus': 'ru', 'cat': 'ca', 'fra': 'fr',
              'por': 'pt', 'deu': 'de', 'ita': 'it'}
NO_Z = re.compile(r'^\s*(vislcg3|cg-mwesplit|hfst-tokeni[sz]e|divvun-suggest)')


def installed_pairs():
    pairs = {}
    for path in glob.glob(os.path.join(MODES, '*.mode')):
        name = os.path.basename(path)[:-5]
        parts = name.split('-')
        if len(parts) == 2 and parts[0] in TWO_LETTER and parts[1] in TWO_LETTER:
            pairs[(TWO_LETTER[parts[0]], TWO_LETTER[parts[1]])] = path
    return pairs


class Pipeline:
    """One pair's mode pipeline, each command with -z, fed one request at a time."""

    def __init__(self, mode_path):
        text = open(mode_path).read().strip().replace('$2', '').replace('$1', '-n')
        self.procs = []
        stdin = subprocess.PIPE
        for cmd in text.split('|'):
            argv = shlex.split(cmd)
            if not NO_Z.match(cmd):
                argv.insert(1, '-z')
            p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE)
            stdin = p.stdout
            self.procs.append(p)
        self.lock = threading.Lock()
        self.count = 0

    def translate(self, stream_text):
        with self.lock:
            self.count += 1
            nonce = '[xlate-standin-%d]' % self.count
            self.procs[0].stdin.write((stream_text + '\0' + nonce + '\0').encode())
            self.procs[0].stdin.flush()
            out = b''
            end = (nonce + '\0').encode()
            while not out.endswith(end):
                chunk = self.procs[-1].stdout.read1(65536)
                if not chunk:
                    raise RuntimeError('the Apertium pipeline stopped')
                out += chunk
            return out[:-len(end)].replace(b'\0', b'').decode()


def run_filter(argv, data):
    return subprocess.run(argv, input=data.encode(), stdout=subprocess.PIPE, check=True).stdout.decode()


class Handler(BaseHTTPRequestHandler):
    server_version = 'libretranslate-standin/1.0'

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body, headers=()):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if urllib.parse.urlparse(self.path).path != '/languages':
            return self.answer(404, {'error': 'Not Found'})
        langs = {}
        for (s, t) in self.server.pairs:
            langs.setdefault(s, []).append(t)
        self.answer(200, [{'code': s, 'name': s, 'targets': sorted(ts)} for s, ts in sorted(langs.items())])

    def read_params(self):
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length).decode()
        if (self.headers.get('Content-Type') or '').startswith('application/json'):
            return json.loads(raw)
        form = urllib.parse.parse_qs(raw)
        params = {k: v[0] for k, v in form.items()}
        if 'q' in form and len(form['q']) > 1:
            params['q'] = form['q']
        return params

    def do_POST(self):
        if urllib.parse.urlparse(self.path).path != '/translate':
            return self.answer(404, {'error': 'Not Found'})
        with self.server.counter_lock:
            self.server.requests += 1
            n = self.server.requests
        if n <= self.server.fail_first:
            return self.answer(429, {'error': 'Slowdown: too many requests'}, [('Retry-After', '1')])
        try:
            params = self.read_params()
        except (ValueError, UnicodeDecodeError) as e:
            return self.answer(400, {'error': 'Invalid request: %s' % e})
        if self.server.api_key and params.get('api_key') != self.server.api_key:
            return self.answer(403, {'error': 'Invalid API key'})
        for field in ('q', 'source', 'target'):
            if field not in params:
                return self.answer(400, {'error': 'Invalid request: missing %s parameter' % field})
        pair = (params['source'], params['target'])
        if pair not in self.server.pairs:
            return self.answer(400, {'error': '%s is not supported' % '|'.join(pair)})
        fmt = params.get('format', 'text')
        if fmt not in ('text', 'html'):
            return self.answer(400, {'error': 'Invalid request: format must be text or html'})
        q = params['q']
        items = q if isinstance(q, list) else [q]
        try:
            out = [self.translate(pair, item, fmt) for item in items]
        except (RuntimeError, subprocess.CalledProcessError, OSError) as e:
            return self.answer(500, {'error': 'Cannot translate text: %s' % e})
        self.answer(200, {'translatedText': out if isinstance(q, list) else out[0]})

    def translate(self, pair, text, fmt):
        pipeline = self.server.pipeline(pair)
        suffix = 'html' if fmt == 'html' else 'txt'
        stream = run_filter(['apertium-des' + suffix], text)
        out = pipeline.translate(stream)
        return run_filter(['apertium-re' + ('html-noent' if fmt == 'html' else 'txt')], out).strip('\n')


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr, args):
        super().__init__(addr, Handler)
        self.pairs = installed_pairs()
        self.api_key = args.api_key
        self.fail_first = args.fail_first
        self.requests = 0
        self.counter_lock = threading.Lock()
        self.pipelines = {}
        self.pipelines_lock = threading.Lock()

    def pipeline(self, pair):
        with self.pipelines_lock:
            if pair not in self.pipelines:
                self.pipelines[pair] = Pipeline(self.pairs[pair])
            return self.pipelines[pair]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--port-file')
    ap.add_argument('--api-key')
    ap.add_argument('--fail-first', type=int, default=0)
    args = ap.parse_args()
    server = Server(('127.0.0.1', args.port), args)
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as f:
            f.write('%d\n' % server.server_address[1])
        os.rename(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    sys.exit(main())
