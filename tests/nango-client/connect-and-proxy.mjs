// Drives @nangohq/node's Connect, integrations and proxy calls against a Nango-compatible server.
// Env: NANGO_HOST, NANGO_SECRET_KEY, CONNECTION_ID, END_USER_ID, START (ISO time of the event to book).
import { Nango } from '@nangohq/node';

const env = (name, fallback) => {
    const value = process.env[name] ?? fallback;
    if (value === undefined) {
        throw new Error(`${name} is not set`);
    }
    return value;
};

const host = env('NANGO_HOST');
const key = 'google-calendar';
const connectionId = env('CONNECTION_ID');
const start = new Date(env('START'));
const nango = new Nango({ host, secretKey: env('NANGO_SECRET_KEY') });

async function attempt(call) {
    try {
        return { ok: true, value: await call() };
    } catch (error) {
        return { ok: false, message: String(error?.message), status: error?.response?.status ?? null, data: error?.response?.data ?? null };
    }
}

const response = (r) => ({ status: r.status, data: r.data, contentType: r.headers?.['content-type'] ?? null });
const events = '/calendar/v3/calendars/primary/events';

const results = {};
results.createConnectSession = await attempt(() => nango.createConnectSession({
    end_user: { id: env('END_USER_ID'), email: 'new-user@example.com', display_name: 'New User', tags: { plan: 'pro' } },
    organization: { id: 'org-1', display_name: 'Org One' },
    allowed_integrations: [key],
    integrations_config_defaults: { [key]: { connection_config: { oauth_scopes_override: 'https://www.googleapis.com/auth/calendar' } } },
}));
results.createConnectSessionForAnotherIntegration = await attempt(() => nango.createConnectSession({ end_user: { id: 'someone' }, allowed_integrations: ['github'] }));
results.createReconnectSession = await attempt(() => nango.createReconnectSession({ connection_id: connectionId, integration_id: key }));
results.listIntegrations = await attempt(() => nango.listIntegrations());
results.getIntegration = await attempt(() => nango.getIntegration({ uniqueKey: key }));

// The emulator was told to fail the first Calendar request with a 503: Retries: 2 rides over it.
results.proxyGetRetried = await attempt(async () => response(await nango.get({ endpoint: events, providerConfigKey: key, connectionId, retries: 2 })));
results.proxyPost = await attempt(async () => response(await nango.post({
    endpoint: events,
    providerConfigKey: key,
    connectionId,
    data: { summary: 'Booked through the Nango proxy', start: { dateTime: start.toISOString() }, end: { dateTime: new Date(start.getTime() + 30 * 60000).toISOString() } },
})));
results.proxyGet = await attempt(async () => response(await nango.proxy({
    method: 'GET', endpoint: events, providerConfigKey: key, connectionId,
    params: { timeMin: new Date(start.getTime() - 3600000).toISOString(), timeMax: new Date(start.getTime() + 3600000).toISOString(), singleEvents: 'true' },
    headers: { 'X-Test': 'forwarded' },
})));
results.proxyToAnotherHost = await attempt(() => nango.get({ endpoint: events, providerConfigKey: key, connectionId, baseUrlOverride: 'https://attacker.example' }));
results.proxyForUnknownConnection = await attempt(() => nango.get({ endpoint: events, providerConfigKey: key, connectionId: 'no-such-connection' }));
results.listProvidersNotServed = await attempt(() => nango.listProviders());

process.stdout.write(JSON.stringify(results));
