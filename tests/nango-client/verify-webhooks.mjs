// Verifies captured webhook deliveries with @nangohq/node, as a Nango webhook handler does.
// Input: the JSON file named by JOB_FILE: { "signingKey", "deliveries": [{ "body": "<raw>", "headers": {...} }] }
// Output: per delivery, what verifyIncomingWebhookRequest and the legacy verifyWebhookSignature say,
// with the right key and with a wrong one.
import { readFile } from 'node:fs/promises';
import { Nango } from '@nangohq/node';

const job = JSON.parse(await readFile(process.env.JOB_FILE, 'utf8'));
const host = 'http://127.0.0.1:9';
const handler = new Nango({ host, apiKey: 'not-used-for-webhooks', webhookSigningKey: job.signingKey });
const impostor = new Nango({ host, apiKey: 'not-used-for-webhooks', webhookSigningKey: job.signingKey + '-wrong' });
const legacyHeader = (headers) => headers[Object.keys(headers).find((k) => k.toLowerCase() === 'x-nango-signature')];

const results = job.deliveries.map(({ body, headers }) => ({
    verified: handler.verifyIncomingWebhookRequest(body, headers),
    verifiedWithAWrongKey: impostor.verifyIncomingWebhookRequest(body, headers),
    verifiedWhenTampered: handler.verifyIncomingWebhookRequest(body.replace('"success":true', '"success":false'), headers),
    legacyVerified: handler._verifyWebhookSignatureImpl(legacyHeader(headers), JSON.parse(body)),
    payload: JSON.parse(body),
}));
process.stdout.write(JSON.stringify(results));
