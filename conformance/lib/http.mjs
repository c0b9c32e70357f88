// Raw, self-signed HTTP API requests (PROTOCOL.md §6.2), for what the `pusher` SDK cannot send: PUT and
// DELETE, bad signatures, old timestamps, broken bodies, percent-encoded query values.

import crypto from 'node:crypto';
import { hmac } from './raw.mjs';
import { DEFAULT_APP } from './server.mjs';

export const md5 = (text) => crypto.createHash('md5').update(Buffer.from(text, 'utf8')).digest('hex');

/**
 * Signs and sends `METHOD /apps/<appId><path>`. `body`: string (sent as is) or object (JSON-encoded).
 * Options: creds ({id,key,secret}), params (extra query params), timestamp (unix s), signWith (secret used
 * to sign), signedPath (path put in the string to sign), tamper (fn(query) → query), encodeValues (percent
 * -encode query values in the URL while signing the raw values, as pusher-http-java does).
 * Returns { status, text, json, headers }.
 */
export async function signedRequest(server, method, path, opts = {}) {
  const creds = opts.creds || DEFAULT_APP;
  const fullPath = `/apps/${creds.id}${path}`;
  const bodyText = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const params = {
    auth_key: creds.key,
    auth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    auth_version: '1.0',
    ...(bodyText ? { body_md5: opts.bodyMd5 ?? md5(bodyText) } : {}),
    ...(opts.params || {}),
  };
  const keys = Object.keys(params).sort();
  const toSign = keys.map((k) => `${k.toLowerCase()}=${params[k]}`).join('&');
  const stringToSign = [method.toUpperCase(), opts.signedPath ?? fullPath, toSign].join('\n');
  const signature = hmac(opts.signWith ?? creds.secret, stringToSign);
  const enc = opts.encodeValues ? encodeURIComponent : (v) => v;
  let query = keys.map((k) => `${k}=${enc(params[k])}`).join('&') + `&auth_signature=${signature}`;
  if (opts.tamper) query = opts.tamper(query);
  const res = await fetch(server.httpUrl(`${fullPath}?${query}`), {
    method,
    body: bodyText,
    headers: bodyText ? { 'content-type': 'application/json' } : {},
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

/** Runs an SDK call that must fail; returns the RequestError ({status, body}). */
export async function sdkError(promise) {
  try {
    const res = await promise;
    throw Object.assign(new Error(`expected an HTTP error, got ${res.status}`), { unexpected: true });
  } catch (err) {
    if (err.unexpected) throw err;
    if (err.status === undefined) throw err;
    return err;
  }
}

/** JSON body of an SDK response (the SDK resolves to a fetch Response). */
export async function jsonOf(resPromise) {
  const res = await resPromise;
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}
