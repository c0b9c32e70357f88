// Regenerates secretbox-vectors.json, the fixture SecretBoxTest checks the Java secretbox against.
// Needs tweetnacl and the pusher (pusher-http-node 5.x) package:
//   NODE_PATH=<dir with node_modules> node make-vectors.cjs > secretbox-vectors.json
const nacl = require("tweetnacl");
const Pusher = require("pusher");

const b64 = (bytes) => Buffer.from(bytes).toString("base64");
// Deterministic inputs so the file only changes when the algorithm does.
const seq = (n, start) => Uint8Array.from({ length: n }, (_, i) => (start + i * 7) & 0xff);

const boxes = [];
for (const len of [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 1000, 10240]) {
  const key = seq(32, len);
  const nonce = seq(24, len + 101);
  const message = seq(len, len + 13);
  boxes.push({ key: b64(key), nonce: b64(nonce), message: b64(message), box: b64(nacl.secretbox(message, nonce, key)) });
}

// What pusher-http-node itself sends for an encrypted channel (random nonce, so captured once).
const masterKeyBase64 = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";
const pusher = new Pusher({ appId: "1", key: "key", secret: "secret", encryptionMasterKeyBase64: masterKeyBase64 });
let captured;
pusher.post = (request) => { captured = request.body; return Promise.resolve(); };
pusher.trigger("private-encrypted-bla", "my-event", { message: "hello ünïcode" });

console.log(JSON.stringify({
  secretbox: boxes,
  pusherNode: {
    masterKeyBase64,
    channel: "private-encrypted-bla",
    sharedSecret: b64(pusher.channelSharedSecret("private-encrypted-bla")),
    body: captured,
    plaintext: JSON.stringify({ message: "hello ünïcode" }),
  },
}, null, 1));
