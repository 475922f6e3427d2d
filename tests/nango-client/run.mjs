// Drives @nangohq/node against a Nango-compatible server and prints every call's outcome as JSON.
// Env: NANGO_HOST, NANGO_SECRET_KEY, CONNECTION_ID, END_USER_ID, DELETE_ID (PROVIDER_CONFIG_KEY defaults to google-calendar).
import { Nango } from '@nangohq/node';

const env = (name, fallback) => {
    const value = process.env[name] ?? fallback;
    if (value === undefined) {
        throw new Error(`${name} is not set`);
    }
    return value;
};

const host = env('NANGO_HOST');
const key = env('PROVIDER_CONFIG_KEY', 'google-calendar');
const id = env('CONNECTION_ID');
const endUserId = env('END_USER_ID');
const deleteId = env('DELETE_ID');
const nango = new Nango({ host, secretKey: env('NANGO_SECRET_KEY') });

// What the caller sees: the value, or the error the client throws (axios: status and body).
async function attempt(call) {
    try {
        return { ok: true, value: await call() };
    } catch (error) {
        return { ok: false, message: String(error?.message), status: error?.response?.status ?? null, data: error?.response?.data ?? null };
    }
}

const response = (r) => ({ status: r.status, data: r.data });

const results = {};
results.getConnection = await attempt(() => nango.getConnection(key, id));
results.getConnectionAskingForRefreshToken = await attempt(() => nango.getConnection(key, id, false, true));
results.getToken = await attempt(() => nango.getToken(key, id));
results.getTokenForced = await attempt(() => nango.getToken(key, id, true));
results.setMetadata = await attempt(async () => response(await nango.setMetadata(key, id, { plan: 'pro', seats: 3 })));
results.updateMetadata = await attempt(async () => response(await nango.updateMetadata(key, id, { seats: 5 })));
results.getMetadata = await attempt(() => nango.getMetadata(key, id));
results.listConnections = await attempt(() => nango.listConnections());
results.listConnectionsOfEndUser = await attempt(() => nango.listConnections({ userId: endUserId, integrationId: key }));
results.listConnectionsLegacy = await attempt(() => nango.listConnections(id));
results.deleteConnection = await attempt(async () => response(await nango.deleteConnection(key, deleteId)));
results.getDeletedConnection = await attempt(() => nango.getConnection(key, deleteId));
results.getUnknownConnection = await attempt(() => nango.getConnection(key, 'no-such-connection'));
results.getTokenOfUnknownConnection = await attempt(() => nango.getToken(key, 'no-such-connection'));
results.deleteUnknownConnection = await attempt(async () => response(await nango.deleteConnection(key, 'no-such-connection')));
results.getConnectionOfUnknownIntegration = await attempt(() => nango.getConnection('github', id));
results.getConnectionWithAWrongKey = await attempt(() => new Nango({ host, secretKey: 'not-a-key' }).getConnection(key, id));

process.stdout.write(JSON.stringify(results));
