#!/usr/bin/env python3
"""Local stand-ins for the DeepL, Google Cloud Translation (v2), Microsoft Translator (v3) and
ModernMT APIs, for the http plugin's tests and bench. Each checks a request as strictly as its
service's public documentation describes it and answers as the documentation says:

  deepl      POST /v2/translate, Authorization: DeepL-Auth-Key KEY, JSON {"text": [1..50],
             "source_lang", "target_lang", "tag_handling": "xml"}, body <= 128 KiB (413 beyond);
             each text well-formed XML (tag_handling=xml); 403 {"message"} for a wrong key,
             456 for a used-up quota; {"translations": [{"detected_source_language", "text"}]}
  google     POST /language/translate/v2?key=KEY, a form: q repeated (1..128), source, target,
             format=html; 400 with API_KEY_INVALID for a wrong key, 403 dailyLimitExceeded for a
             used-up quota; {"data": {"translations": [{"translatedText"}]}}
  microsoft  POST /translate?api-version=3.0&from=&to=&textType=html, Ocp-Apim-Subscription-Key
             (and Ocp-Apim-Subscription-Region when --region is given), JSON [{"Text"}] with at
             most 1,000 elements and 50,000 characters; 401 (401000) for a wrong key, 403 (403001)
             for a used-up free quota; [{"translations": [{"text", "to"}]}]
  modernmt   POST /translate with X-HTTP-Method-Override: GET, MMT-ApiKey, JSON {"source",
             "target", "q": [1..128]}, at most 10,240 characters; 401 AuthenticationException for a
             wrong key; 402 for a used-up quota (this error is an assumption: ModernMT's public
             documentation consulted does not list one); {"status": 200, "data": [{"translation"}]}

A request that breaks a rule is answered 400 with the service's error shape and the rule broken,
and the rule is also written to stderr, so a test sees it. The "translation" is the text with
"[API] " in front, markup untouched, so that placeholders come back as they went.

  services_standin.py --api NAME --key KEY [--region R] [--port-file F] [--log F]
                      [--script N:ACTION,...] [--delay SECONDS] [--source CODE --target CODE]

--log F appends one JSON line a request: {"n", "t" (monotonic seconds), "texts", "chars",
"status", "retry_after"}. --script gives the Nth translate request (from 1) an ACTION:
429 (Retry-After: 1), 429date (Retry-After as an HTTP date 2 s ahead), 503, quota (this request
and every later one: the quota error), malformed (a 200 whose body is not JSON), badentry (a 200
whose first entry is of the wrong type). --delay answers each request after that many seconds.
POST /standin/reset {"script": ..., "log": ...} starts a new case on the same server: the request
count from 1 again, a new script, a new log.
"""
import argparse
import email.utils
import json
import sys
import threading
import time
import urllib.parse
import xml.dom.minidom
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEEPL_SOURCES = {'AR', 'BG', 'CS', 'DA', 'DE', 'EL', 'EN', 'ES', 'ET', 'FI', 'FR', 'HU', 'ID', 'IT',
                 'JA', 'KO', 'LT', 'LV', 'NB', 'NL', 'PL', 'PT', 'RO', 'RU', 'SK', 'SL', 'SV', 'TR',
                 'UK', 'ZH'}
DEEPL_TARGETS = (DEEPL_SOURCES - {'EN', 'PT', 'ZH'}) | {'EN-GB', 'EN-US', 'PT-BR', 'PT-PT', 'ZH',
                                                        'ZH-HANS', 'ZH-HANT'}


class Broken(Exception):
    """A request that breaks the service's rules: (status, rule)."""


class KeyRefused(Exception):
    """A key the service does not know, answered with a body of its own: (status, body)."""


def code_points(texts):
    return sum(len(t) for t in texts)


class Handler(BaseHTTPRequestHandler):
    server_version = 'services-standin/1.0'
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('Content-Length', str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.send(405, {'message': 'Method not allowed: translate is a POST'})

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length)
        s = self.server
        if self.path == '/standin/reset':
            return self.reset(json.loads(raw.decode()))
        with s.lock:
            s.requests += 1
            n = s.requests
        action = s.script.get(n)
        if s.quota_from and n >= s.quota_from:
            action = 'quota'
        if action == 'quota' and not s.quota_from:
            s.quota_from = n
        api = s.api
        record = {'n': n, 't': time.monotonic(), 'texts': 0, 'chars': 0, 'status': 200,
                  'retry_after': None}
        try:
            url = urllib.parse.urlparse(self.path)
            query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            texts, make = getattr(self, 'check_' + api)(url.path, query, raw)
            record['texts'], record['chars'] = len(texts), code_points(texts)
            if s.delay:
                time.sleep(s.delay)
            status, body, headers = self.outcome(action, texts, make)
        except KeyRefused as e:
            status, body, headers = e.args[0], e.args[1], ()
        except Broken as e:
            status, rule = e.args
            print('%s stand-in: request %d refused: %s' % (api, n, rule), file=sys.stderr, flush=True)
            status, body, headers = status, self.error_body(status, rule), ()
        record['status'] = status
        record['retry_after'] = dict(headers).get('Retry-After')
        with s.lock:
            if s.log:
                with open(s.log, 'a') as f:
                    f.write(json.dumps(record) + '\n')
        self.send(status, body, headers)

    def reset(self, how):
        """The test's own endpoint: a new case on the same server (counter, script and log)."""
        s = self.server
        with s.lock:
            s.requests, s.quota_from = 0, 0
            s.script = parse_script(how.get('script', ''))
            s.log = how.get('log', s.log)
        self.send(200, {'reset': True})

    def outcome(self, action, texts, make):
        if action == '429':
            return 429, self.error_body(429, 'Too many requests'), [('Retry-After', '1')]
        if action == '429date':
            when = email.utils.formatdate(time.time() + 2, usegmt=True)
            return 429, self.error_body(429, 'Too many requests'), [('Retry-After', when)]
        if action == '503':
            return 503, self.error_body(503, 'Service unavailable'), ()
        if action == 'quota':
            return self.quota()
        out = ['[%s] %s' % (self.server.api, t) for t in texts]
        if action == 'malformed':
            return 200, b'{"translations": [ this is not JSON', ()
        body = make(out)
        if action == 'badentry':
            body = self.break_first_entry(body)
        return 200, body, ()

    # --- errors in each service's shape -------------------------------------------------------

    def error_body(self, status, message):
        api = self.server.api
        if api == 'deepl':
            return {'message': message}
        if api == 'google':
            reason = {400: 'badRequest', 403: 'forbidden', 429: 'rateLimitExceeded'}.get(status, 'backendError')
            return {'error': {'code': status, 'message': message,
                              'errors': [{'message': message, 'domain': 'global', 'reason': reason}]}}
        if api == 'microsoft':
            return {'error': {'code': status * 1000, 'message': message}}
        return {'status': status, 'error': {'type': 'ClientException' if status < 500 else 'ServerException',
                                            'message': message}}

    def auth_failure(self):
        api = self.server.api
        if api == 'deepl':
            raise Broken(403, 'Authorization failure, check auth_key')
        if api == 'google':
            raise KeyRefused(400, {'error': {
                'code': 400, 'message': 'API key not valid. Please pass a valid API key.',
                'errors': [{'message': 'API key not valid. Please pass a valid API key.',
                            'domain': 'global', 'reason': 'badRequest'}],
                'status': 'INVALID_ARGUMENT',
                'details': [{'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                             'reason': 'API_KEY_INVALID', 'domain': 'googleapis.com'}]}})
        if api == 'microsoft':
            raise Broken(401, 'The request is not authorized because credentials are missing or invalid.')
        raise Broken(401, 'Invalid API key')

    def quota(self):
        api = self.server.api
        if api == 'deepl':
            return 456, {'message': 'Quota exceeded'}, ()
        if api == 'google':
            return 403, {'error': {'code': 403, 'message': 'Daily Limit Exceeded',
                                   'errors': [{'message': 'Daily Limit Exceeded', 'domain': 'usageLimits',
                                               'reason': 'dailyLimitExceeded'}]}}, ()
        if api == 'microsoft':
            return 403, {'error': {'code': 403001, 'message': 'The operation is not allowed because '
                                   'the subscription has exceeded its free quota.'}}, ()
        return 402, {'status': 402, 'error': {'type': 'QuotaExceededException',
                                              'message': 'The monthly quota of the plan is used up'}}, ()

    def break_first_entry(self, body):
        api = self.server.api
        if api == 'deepl':
            body['translations'][0]['text'] = None
        elif api == 'google':
            body['data']['translations'][0]['translatedText'] = 7
        elif api == 'microsoft':
            body[0]['translations'] = []
        else:
            body['data'][0] = 'not an object'
        return body

    # --- each service's rules -----------------------------------------------------------------

    def need(self, cond, rule, status=400):
        if not cond:
            raise Broken(status, rule)

    def json_body(self, raw):
        self.need((self.headers.get('Content-Type') or '').startswith('application/json'),
                  'Content-Type must be application/json')
        try:
            return json.loads(raw.decode('utf-8'))
        except (ValueError, UnicodeDecodeError) as e:
            raise Broken(400, 'the body is not JSON: %s' % e)

    def pair_ok(self, source, target):
        s = self.server
        self.need(source == s.source, 'source language %r, expected %r' % (source, s.source))
        self.need(target == s.target, 'target language %r, expected %r' % (target, s.target))

    def check_deepl(self, path, query, raw):
        self.need(path == '/v2/translate', 'no such endpoint %s' % path, 404)
        if self.headers.get('Authorization') != 'DeepL-Auth-Key ' + self.server.key:
            self.auth_failure()
        self.need(len(raw) <= 128 * 1024, 'Request Entity Too Large: the body is %d bytes' % len(raw), 413)
        body = self.json_body(raw)
        self.need(isinstance(body, dict), 'the body is not an object')
        unknown = set(body) - {'text', 'source_lang', 'target_lang', 'tag_handling'}
        self.need(not unknown, 'unexpected fields %s' % sorted(unknown))
        texts = body.get('text')
        self.need(isinstance(texts, list) and texts and all(isinstance(t, str) for t in texts),
                  'Value for \'text\' not supported: a list of strings is expected')
        self.need(len(texts) <= 50, 'Too many texts: %d (at most 50 a request)' % len(texts), 413)
        self.need(body.get('target_lang') in DEEPL_TARGETS, 'Value for \'target_lang\' not supported.')
        self.need(body.get('source_lang') in DEEPL_SOURCES, 'Value for \'source_lang\' not supported.')
        self.need(body.get('tag_handling') == 'xml', 'tag_handling must be xml')
        for t in texts:
            try:
                xml.dom.minidom.parseString('<r>%s</r>' % t)
            except Exception as e:  # noqa: BLE001 - any parse failure is the rule broken
                raise Broken(400, 'a text is not well-formed XML (tag_handling=xml): %s' % e)
        self.pair_ok(body['source_lang'], body['target_lang'])
        src = body['source_lang']
        return texts, lambda out: {'translations': [{'detected_source_language': src, 'text': o}
                                                    for o in out]}

    def check_google(self, path, query, raw):
        self.need(path == '/language/translate/v2', 'no such endpoint %s' % path, 404)
        if query.get('key') != [self.server.key]:
            self.auth_failure()
        self.need((self.headers.get('Content-Type') or '').startswith('application/x-www-form-urlencoded'),
                  'Content-Type must be application/x-www-form-urlencoded')
        self.need(len(raw) <= 200 * 1024, 'Request payload size exceeds the limit: %d bytes' % len(raw))
        form = urllib.parse.parse_qs(raw.decode('utf-8'), keep_blank_values=True)
        unknown = set(form) - {'q', 'source', 'target', 'format'}
        self.need(not unknown, 'unexpected fields %s' % sorted(unknown))
        texts = form.get('q', [])
        self.need(texts, 'Required Text: q is missing')
        self.need(len(texts) <= 128, 'Too many text segments: %d (at most 128)' % len(texts))
        self.need(form.get('format') == ['html'], 'format must be html')
        self.need(len(form.get('source', [])) == 1 and len(form.get('target', [])) == 1,
                  'one source and one target are expected')
        self.pair_ok(form['source'][0], form['target'][0])
        return texts, lambda out: {'data': {'translations': [{'translatedText': o} for o in out]}}

    def check_microsoft(self, path, query, raw):
        self.need(path == '/translate', 'no such endpoint %s' % path, 404)
        if self.headers.get('Ocp-Apim-Subscription-Key') != self.server.key:
            self.auth_failure()
        if self.server.region:
            self.need(self.headers.get('Ocp-Apim-Subscription-Region') == self.server.region,
                      'Ocp-Apim-Subscription-Region is missing or not the resource\'s region', 401)
        self.need(query.get('api-version') == ['3.0'], 'api-version must be 3.0')
        self.need(query.get('textType') == ['html'], 'textType must be html')
        self.need(len(query.get('from', [])) == 1 and len(query.get('to', [])) == 1,
                  'one from and one to are expected')
        body = self.json_body(raw)
        self.need(isinstance(body, list) and body, 'the body must be a non-empty array')
        self.need(len(body) <= 1000, 'The array has %d elements; at most 1,000' % len(body))
        self.need(all(isinstance(e, dict) and set(e) == {'Text'} and isinstance(e['Text'], str)
                      for e in body), 'each element must be {"Text": string}')
        texts = [e['Text'] for e in body]
        self.need(code_points(texts) <= 50000, 'The request has %d characters; at most 50,000'
                  % code_points(texts))
        self.pair_ok(query['from'][0], query['to'][0])
        to = query['to'][0]
        return texts, lambda out: [{'translations': [{'text': o, 'to': to}]} for o in out]

    def check_modernmt(self, path, query, raw):
        self.need(path == '/translate', 'no such endpoint %s' % path, 404)
        if self.headers.get('MMT-ApiKey') != self.server.key:
            self.auth_failure()
        self.need(self.headers.get('X-HTTP-Method-Override') == 'GET',
                  'translate is a GET: send X-HTTP-Method-Override: GET with a POST')
        body = self.json_body(raw)
        self.need(isinstance(body, dict), 'the body is not an object')
        unknown = set(body) - {'source', 'target', 'q'}
        self.need(not unknown, 'unexpected fields %s' % sorted(unknown))
        texts = body.get('q')
        self.need(isinstance(texts, list) and texts and all(isinstance(t, str) for t in texts),
                  'q must be a list of strings')
        self.need(len(texts) <= 128, 'q has %d texts; at most 128' % len(texts))
        self.need(code_points(texts) <= 10240, 'q has %d characters; at most 10,240' % code_points(texts))
        self.pair_ok(body.get('source'), body.get('target'))
        return texts, lambda out: {'status': 200, 'data': [{'translation': o, 'characters': len(o),
                                                             'billedCharacters': len(o)} for o in out]}


def parse_script(text):
    script = {}
    for part in filter(None, text.split(',')):
        n, action = part.split(':')
        script[int(n)] = action
    return script


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--api', required=True, choices=['deepl', 'google', 'microsoft', 'modernmt'])
    ap.add_argument('--key', required=True)
    ap.add_argument('--region')
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--port-file')
    ap.add_argument('--log')
    ap.add_argument('--script', default='')
    ap.add_argument('--delay', type=float, default=0.0)
    ap.add_argument('--source')
    ap.add_argument('--target')
    a = ap.parse_args()
    defaults = {'deepl': ('UK', 'EN-GB'), 'google': ('uk', 'en'), 'microsoft': ('uk', 'en'),
                'modernmt': ('uk', 'en')}[a.api]
    server = ThreadingHTTPServer(('127.0.0.1', a.port), Handler)
    server.daemon_threads = True
    server.api, server.key, server.region, server.log, server.delay = a.api, a.key, a.region, a.log, a.delay
    server.source, server.target = a.source or defaults[0], a.target or defaults[1]
    server.script = parse_script(a.script)
    server.quota_from = 0
    server.requests = 0
    server.lock = threading.Lock()
    if a.port_file:
        with open(a.port_file + '.tmp', 'w') as f:
            f.write('%d\n' % server.server_address[1])
        import os
        os.replace(a.port_file + '.tmp', a.port_file)
    server.serve_forever()


if __name__ == '__main__':
    main()
