// CalendarGrains' Connect UI: the page @nangohq/frontend's openConnectUI() shows in its iframe
// (baseURL = this service's /connect/ui), speaking the SDK's postMessage protocol:
//   us -> parent: {type:'ready'} once loaded; then {type:'connect', payload:{providerConfigKey, connectionId}},
//                 {type:'error', payload:{errorType, errorMessage}} and {type:'close'}.
//   parent -> us: {type:'session_token', sessionToken} (again whenever the app sets another token).
// The Google sign-in runs as nango.auth() runs it: a popup through /oauth/connect/google-calendar,
// and the outcome on this service's websocket. No framework, no build step, no third-party code;
// the page's Content-Security-Policy allows this file and nothing else to run.
(() => {
    'use strict';

    const root = document.getElementById('connect-ui');
    const part = (id) => document.getElementById(id);
    // Always this service (as the server wrote it), whatever apiURL the frame was given: the session
    // token is only ever sent to the service that issued it.
    const service = new URL(root.dataset.service);
    const socketUrl = root.dataset.socket;
    const provider = root.dataset.provider;
    const detectClosedWindow = root.dataset.detectClosed === 'true';
    const embedded = window.parent !== window;

    let token = null;
    // Where the token came from: the only origin told how the connection went.
    let parentOrigin = null;
    let platform = null;
    let retry = null;
    let attempt = null;

    const buttons = { ready: 'connect', failed: 'retry', connected: 'done' };

    function show(state, heading, message, detail) {
        root.dataset.state = state;
        part('heading').textContent = heading;
        part('message').textContent = message;
        part('detail').textContent = detail || '';
        part('detail').hidden = !detail;
        part('platform').textContent = platform || '';
        part('platform').hidden = !platform;
        for (const [name, id] of Object.entries(buttons)) {
            part(id).hidden = name !== state;
        }

        if (buttons[state]) {
            part(buttons[state]).focus();
        }
    }

    function tell(event) {
        if (embedded && parentOrigin) {
            window.parent.postMessage(event, parentOrigin);
        }
    }

    function endAttempt() {
        if (!attempt) {
            return;
        }

        clearInterval(attempt.watch);
        attempt.socket.onclose = null;
        attempt.socket.close();
        if (!attempt.popup.closed) {
            attempt.popup.close();
        }

        attempt = null;
    }

    function close() {
        endAttempt();
        // Nothing secret in it: a frame that never got a token may still be closed by its app.
        window.parent.postMessage({ type: 'close' }, parentOrigin || '*');
    }

    function failed(errorType, errorMessage, canRetry) {
        endAttempt();
        retry = canRetry ? connect : null;
        const heading = errorType === 'callback_err' && /declined/i.test(errorMessage || '') ? 'You declined access' : 'Your Google Calendar was not connected';
        show(canRetry ? 'failed' : 'ended', heading, errorMessage || 'Google did not complete the sign-in.', errorType ? `Error code: ${errorType}` : null);
        tell({ type: 'error', payload: { errorType, errorMessage } });
    }

    function connected(connectionId, providerConfigKey) {
        endAttempt();
        show('connected', 'Google Calendar connected',
            platform ? `Your Google Calendar is now connected to ${platform}.` : 'Your Google Calendar is now connected.');
        tell({ type: 'connect', payload: { providerConfigKey: providerConfigKey || provider, connectionId } });
    }

    async function load() {
        endAttempt();
        show('loading', 'Connect your Google Calendar', 'Loading…');
        let session;
        try {
            const response = await fetch(new URL('connect/ui/session', service), {
                headers: { 'Connect-Session-Token': token }, cache: 'no-store', credentials: 'omit',
            });
            session = await response.json();
        } catch {
            retry = load;
            show('failed', 'Something went wrong', 'This page could not reach the service. Check your connection and try again.');
            return;
        }

        platform = session.platform || null;
        retry = null;
        switch (session.status) {
            case 'pending':
                show('ready', 'Connect your Google Calendar', platform
                    ? `${platform} asks for access to your Google Calendar. Google will ask you to allow it in a new window.`
                    : 'Google will ask you to allow access to your Google Calendar in a new window.');
                break;
            case 'connected':
                show('ended', 'Already connected', 'Your Google account is already connected. There is nothing more to do here.');
                break;
            case 'expired':
                show('ended', 'This link has expired', platform
                    ? `Connecting works for a limited time. Close this and start again from ${platform}.`
                    : 'Connecting works for a limited time. Close this and start again from the app.');
                break;
            default:
                show('ended', 'This link isn\u2019t valid', 'This connect session is unknown. Close this and start again from the app.');
                break;
        }
    }

    function connect() {
        endAttempt();
        // Opened now, in the click, so that the browser allows it; it is sent to Google once the socket is ready.
        const popup = window.open('about:blank', 'calendargrains-connect', 'popup,width=520,height=680');
        if (!popup) {
            failed('blocked_by_browser', 'The browser blocked the Google window. Allow pop-ups for this site and try again.', true);
            return;
        }

        show('waiting', 'Waiting for Google', 'Finish signing in in the Google window. This page updates by itself.');
        const socket = new WebSocket(socketUrl);
        const current = { popup, socket, watch: 0, closedAt: 0 };
        attempt = current;
        socket.onmessage = (message) => {
            let data;
            try {
                data = JSON.parse(message.data);
            } catch {
                return;
            }

            if (data.message_type === 'connection_ack' && typeof data.ws_client_id === 'string') {
                const start = new URL(`oauth/connect/${encodeURIComponent(provider)}`, service);
                start.searchParams.set('connect_session_token', token);
                start.searchParams.set('ws_client_id', data.ws_client_id);
                if (!popup.closed) {
                    popup.location.href = start.href;
                }
            } else if (data.message_type === 'success') {
                connected(data.connection_id, data.provider_config_key);
            } else if (data.message_type === 'error') {
                failed(data.error_type || 'unknown_error', data.error_desc, true);
            }
        };
        socket.onclose = () => {
            if (attempt === current) {
                failed('unknown_error', 'The connection to the service was lost. Try again.', true);
            }
        };
        // A window closed by the person: the outcome may still be on its way (the sign-in finished just
        // before), so it is given two seconds before the attempt counts as abandoned.
        current.watch = setInterval(() => {
            if (!popup.closed || attempt !== current) {
                return;
            }

            current.closedAt = current.closedAt || Date.now();
            if (Date.now() - current.closedAt < 2000) {
                return;
            }

            if (detectClosedWindow) {
                failed('window_closed', 'The Google window was closed before the sign-in finished.', true);
            } else {
                endAttempt();
                retry = connect;
                show('failed', 'The Google window was closed', 'Nothing was connected. Try again when you are ready.');
            }
        }, 250);
    }

    window.addEventListener('message', (event) => {
        const data = event.data;
        if (event.source !== window.parent || !data || data.type !== 'session_token' || typeof data.sessionToken !== 'string') {
            return;
        }

        parentOrigin = event.origin === 'null' ? '*' : event.origin;
        if (data.sessionToken !== token) {
            token = data.sessionToken;
            void load();
        }
    });
    part('connect').addEventListener('click', connect);
    part('retry').addEventListener('click', () => retry && retry());
    part('done').addEventListener('click', close);
    part('close').addEventListener('click', close);
    document.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') {
            close();
        }
    });

    if (embedded) {
        show('loading', 'Connect your Google Calendar', 'Loading…');
        window.parent.postMessage({ type: 'ready' }, '*');
    } else {
        part('close').hidden = true;
        show('ended', 'Open this from your app', 'This page appears inside the app that asked you to connect Google Calendar. Go back to it and use its Connect button.');
    }
})();
