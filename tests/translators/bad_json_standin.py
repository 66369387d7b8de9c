#!/usr/bin/env python3
"""A translation server that answers in the right shape except for one field, for the http
plugin's tests: every way a server's JSON can be wrong where the plugin expects text must end in
a message naming the field, never in a crash.

  bad_json_standin.py --port-file F

Binds a free loopback port (port 0) and writes it to F once it listens. The case is the start of
the request's path, so that one server holds every case: the plugin is given
url=http://127.0.0.1:PORT/API/CASE and asks for /API/CASE/listPairs, /API/CASE/translate, ...

  API    apy (APy: GET /listPairs, POST /translate with a form) or libretranslate
         (GET /languages, POST /translate with JSON, q an array)
  CASE   good            right answers: the target is "es:" and the source
         pairs-FLAW      the list of pairs has FLAW where text is expected (APy's first
                         sourceLanguage, LibreTranslate's first code)
         translate-FLAW  the translation has FLAW where text is expected (APy's
                         responseData.translatedText, every entry of LibreTranslate's
                         translatedText; for "missing", the whole field)
         translate-second-null   LibreTranslate: only translatedText[1] is null
         error-null      /translate answers 400 with the message field null
         translate-html  /translate answers 200 with an HTML page, not JSON
  FLAW   null, number (42) or missing
"""
import argparse
import json
import os
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FLAWS = {'null': None, 'number': 42}


def with_flaw(obj, key, flaw):
    """obj with obj[key] replaced by the flaw, or removed for 'missing'."""
    obj = dict(obj)
    if flaw == 'missing':
        del obj[key]
    else:
        obj[key] = FLAWS[flaw]
    return obj


def flaw_of(case, endpoint):
    prefix = endpoint + '-'
    return case[len(prefix):] if case.startswith(prefix) else None


def apy_pairs(case):
    pairs = [{'sourceLanguage': 'eng', 'targetLanguage': 'spa'},
             {'sourceLanguage': 'spa', 'targetLanguage': 'eng'}]
    flaw = flaw_of(case, 'pairs')
    if flaw:
        pairs[0] = with_flaw(pairs[0], 'sourceLanguage', flaw)
    return 200, {'responseData': pairs, 'responseDetails': None, 'responseStatus': 200}


HTML_PAGE = '<html><body>Service busy</body></html>'


def apy_translate(case, params):
    if case == 'translate-html':
        return 200, HTML_PAGE
    if case == 'error-null':
        return 400, {'status': 'error', 'code': 400, 'message': 'Bad Request', 'explanation': None}
    data = {'translatedText': 'es:' + params['q'][0]}
    flaw = flaw_of(case, 'translate')
    if flaw:
        data = with_flaw(data, 'translatedText', flaw)
    return 200, {'responseData': data, 'responseDetails': None, 'responseStatus': 200}


def libretranslate_languages(case):
    langs = [{'code': 'en', 'name': 'English', 'targets': ['es']},
             {'code': 'es', 'name': 'Spanish', 'targets': ['en']}]
    flaw = flaw_of(case, 'pairs')
    if flaw:
        langs[0] = with_flaw(langs[0], 'code', flaw)
    return 200, langs


def libretranslate_translate(case, params):
    if case == 'translate-html':
        return 200, HTML_PAGE
    if case == 'error-null':
        return 400, {'error': None}
    texts = ['es:' + q for q in params['q']]
    flaw = flaw_of(case, 'translate')
    if flaw == 'second-null':
        texts[1] = None
    elif flaw == 'missing':
        return 200, {}
    elif flaw:
        texts = [FLAWS[flaw] for _ in texts]
    return 200, {'translatedText': texts}


class Handler(BaseHTTPRequestHandler):
    server_version = 'bad-json-standin/1.0'

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body):
        """Sends body as JSON, or as HTML when it is a str (a page where JSON was expected)."""
        html = isinstance(body, str)
        data = (body if html else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'text/html' if html else 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def route(self):
        parts = urllib.parse.urlparse(self.path).path.strip('/').split('/')
        if len(parts) != 3:
            return None, None, None
        return parts

    def do_GET(self):
        api, case, endpoint = self.route()
        if (api, endpoint) == ('apy', 'listPairs'):
            return self.answer(*apy_pairs(case))
        if (api, endpoint) == ('libretranslate', 'languages'):
            return self.answer(*libretranslate_languages(case))
        self.answer(404, {'error': 'Not Found'})

    def do_POST(self):
        api, case, endpoint = self.route()
        raw = self.rfile.read(int(self.headers.get('Content-Length') or 0)).decode()
        if (api, endpoint) == ('apy', 'translate'):
            return self.answer(*apy_translate(case, urllib.parse.parse_qs(raw)))
        if (api, endpoint) == ('libretranslate', 'translate'):
            return self.answer(*libretranslate_translate(case, json.loads(raw)))
        self.answer(404, {'error': 'Not Found'})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--port-file', required=True)
    args = ap.parse_args()
    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    server.daemon_threads = True
    tmp = args.port_file + '.tmp'
    with open(tmp, 'w') as f:
        f.write('%d\n' % server.server_address[1])
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == '__main__':
    sys.exit(main())
