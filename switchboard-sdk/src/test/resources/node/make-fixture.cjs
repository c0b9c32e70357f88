// Regenerates pusher-node-fixture.json: what pusher-http-node 5.x (the official `pusher` package) answers
// for its auth helpers, and the HTTP requests it sends for each API call, with the clock fixed.
// NodeParityTest checks switchboard-sdk against it. Run:
//   NODE_PATH=<dir with node_modules holding pusher> node make-fixture.cjs > pusher-node-fixture.json
const http = require("http");
const Pusher = require("pusher");

Date.now = () => 1353088179000;
const masterKeyBase64 = "zyrm8pvV2C9fJcBfhyXzvxbJVN/H7QLmbe0xJi1GhPU=";

const auth = [];
const requests = [];

const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    requests[requests.length - 1].http = { method: req.method, url: req.url, body };
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});

server.listen(0, "127.0.0.1", async () => {
  const pusher = new Pusher({
    appId: "3", key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8",
    host: "127.0.0.1", port: server.address().port, useTLS: false, encryptionMasterKeyBase64: masterKeyBase64,
  });

  const user = { id: "12345", user_info: { name: "Zoë \"Z\" <z@x>", tags: ["a", "b"], n: 1.5 }, watchlist: ["2", "3"] };
  auth.push({ call: "authenticateUser", socketId: "1234.1234", input: user, output: pusher.authenticateUser("1234.1234", user) });
  auth.push({ call: "authenticateUser", socketId: "1.2", input: { id: "u" }, output: pusher.authenticateUser("1.2", { id: "u" }) });
  auth.push({ call: "authorizeChannel", socketId: "1234.1234", channel: "private-foobar", input: null,
    output: pusher.authorizeChannel("1234.1234", "private-foobar") });
  const member = { user_id: "10", user_info: { name: "Mr. Channels", emoji: "☃" } };
  auth.push({ call: "authorizeChannel", socketId: "1234.1234", channel: "presence-foobar", input: member,
    output: pusher.authorizeChannel("1234.1234", "presence-foobar", member) });
  auth.push({ call: "authorizeChannel", socketId: "1234.1234", channel: "private-encrypted-bla", input: null,
    output: pusher.authorizeChannel("1234.1234", "private-encrypted-bla") });

  const calls = [
    ["trigger", () => pusher.trigger("project-3", "foo", { some: "data" })],
    ["triggerString", () => pusher.trigger(["a", "b"], "foo", "plain text", { socket_id: "1.2", info: "subscription_count" })],
    ["triggerBatch", () => pusher.triggerBatch([{ channel: "a", name: "e1", data: { x: 1 } }, { channel: "presence-b", name: "e2", data: "s", info: "user_count" }])],
    ["sendToUser", () => pusher.sendToUser("user-42", "hello", { a: "b" })],
    ["terminateUserConnections", () => pusher.terminateUserConnections("user-42")],
    ["channels", () => pusher.get({ path: "/channels", params: { filter_by_prefix: "presence-", info: "user_count" } })],
    ["channel", () => pusher.get({ path: "/channels/presence-foobar", params: { info: "user_count,subscription_count" } })],
    ["presenceUsers", () => pusher.get({ path: "/channels/presence-foobar/users" })],
  ];
  for (const [name, call] of calls) {
    requests.push({ call: name });
    await call();
  }
  server.close();
  console.log(JSON.stringify({ auth, requests }, null, 1));
});
