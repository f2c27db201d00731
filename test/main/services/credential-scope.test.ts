import { describe, expect, it } from 'vitest';
import { credentialGoesTo, isRecordingUploadPath, serverOrigin } from '../../../main/services/credential-scope';

/** Which requests main adds the signed-in technician's credential to: its server's /ws and a recording's PUT, nothing else. */
const ORIGIN = 'http://server.example:8787';
const ID = 'Ab3_-defghijklmnop';

describe('credentialGoesTo', () => {
  it('the WebSocket upgrade to the server it came from, on /ws only', () => {
    expect(credentialGoesTo('ws://server.example:8787/ws', 'GET', ORIGIN)).toBe(true);
    expect(credentialGoesTo('wss://server.example/ws', 'GET', 'https://server.example')).toBe(true);
    expect(credentialGoesTo('ws://server.example:8787/other', 'GET', ORIGIN)).toBe(false);
    expect(credentialGoesTo('ws://elsewhere.example:8787/ws', 'GET', ORIGIN)).toBe(false);
    expect(credentialGoesTo('ws://server.example:9999/ws', 'GET', ORIGIN)).toBe(false);
    // A TLS server's credential never goes over plain ws, nor the other way round.
    expect(credentialGoesTo('ws://server.example/ws', 'GET', 'https://server.example')).toBe(false);
  });

  it('a recording’s upload: PUT /api/recordings/<id> to that origin, nothing else there', () => {
    expect(credentialGoesTo(`${ORIGIN}/api/recordings/${ID}`, 'PUT', ORIGIN)).toBe(true);
    expect(credentialGoesTo(`${ORIGIN}/api/recordings/${ID}`, 'put', ORIGIN)).toBe(true);
    for (const method of ['GET', 'HEAD', 'POST', 'DELETE', 'OPTIONS'])
      expect(credentialGoesTo(`${ORIGIN}/api/recordings/${ID}`, method, ORIGIN), method).toBe(false);
    for (const path of [
      '/api/recordings',
      '/api/recordings/',
      `/api/recordings/${ID}/x`,
      '/api/recordings/short',
      '/api/audit',
      '/auth/app/me',
      '/ws',
    ])
      expect(credentialGoesTo(`${ORIGIN}${path}`, 'PUT', ORIGIN), path).toBe(false);
    expect(credentialGoesTo(`${ORIGIN}/api/recordings/${ID}?download=1`, 'PUT', ORIGIN)).toBe(false);
  });

  it('never to another origin, scheme or port, nor with credentials in the URL', () => {
    for (const url of [
      `http://elsewhere.example:8787/api/recordings/${ID}`,
      `https://server.example:8787/api/recordings/${ID}`,
      `http://server.example:8788/api/recordings/${ID}`,
      `http://server.example.evil.example:8787/api/recordings/${ID}`,
      `http://user:pw@server.example:8787/api/recordings/${ID}`,
      `app://peerdesk/api/recordings/${ID}`,
      `file:///api/recordings/${ID}`,
      'not a url',
    ])
      expect(credentialGoesTo(url, 'PUT', ORIGIN), url).toBe(false);
  });
});

describe('isRecordingUploadPath / serverOrigin', () => {
  it('knows an upload path by a well-formed id', () => {
    expect(isRecordingUploadPath(`/api/recordings/${ID}`)).toBe(true);
    expect(isRecordingUploadPath('/api/recordings/../../etc/passwd')).toBe(false);
    expect(isRecordingUploadPath('/index.html')).toBe(false);
  });

  it('maps the signaling URL to the server’s HTTP origin', () => {
    expect(serverOrigin('ws://127.0.0.1:8787/ws')).toBe('http://127.0.0.1:8787');
    expect(serverOrigin('wss://desk.example/ws')).toBe('https://desk.example');
  });
});
