// Verifies one webhook delivery with the Standard Webhooks reference library, exactly as a tenant
// would. Input on stdin, JSON: {"secret":"whsec_...","headers":{"webhook-id":...},"bodyBase64":"..."}.
// Exit 0: the signature verifies. Exit 1: it does not (the reason is printed). Exit 2: bad input.
"use strict";

const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  let request;
  try {
    request = JSON.parse(input);
  } catch (error) {
    console.error(`bad input: ${error.message}`);
    process.exit(2);
  }

  // The raw bytes the receiver got: a tenant must verify those, not a re-serialized object.
  const payload = Buffer.from(request.bodyBase64, "base64");
  try {
    new Webhook(request.secret).verify(payload, request.headers);
    console.log("verified");
    process.exit(0);
  } catch (error) {
    console.error(`not verified: ${error.message}`);
    process.exit(1);
  }
});
