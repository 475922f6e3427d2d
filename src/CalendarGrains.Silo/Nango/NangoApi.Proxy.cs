using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Connections;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Nango;

public static partial class NangoApi
{
    /// <summary>The methods <c>nango.proxy()</c> sends (and <c>nango.get/post/put/patch/delete</c>).</summary>
    private static readonly string[] ProxyMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

    /// <summary>
    /// Response headers that describe this hop, not Google's answer, or that the body's decoding
    /// made false (the client decompresses).
    /// </summary>
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
        "content-length", "content-encoding", "set-cookie", "alt-svc",
    };

    /// <summary>Request headers a caller may not set through <c>Nango-Proxy-*</c>: we own authentication and framing.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "host", "cookie", "content-length", "transfer-encoding", "connection", "proxy-authorization",
    };

    private static void MapProxy(RouteGroupBuilder group) =>
        group.MapMethods("/proxy/{**endpoint}", ProxyMethods, ProxyAsync).WithName("NangoProxy")
            .WithSummary("Nango: forwards a request to Google's API with the connection's fresh access token (Connection-Id, Provider-Config-Key, Retries, Retry-On, Base-Url-Override, Nango-Proxy-* headers).");

    private static async Task<IResult> ProxyAsync(
        HttpContext context,
        ClaimsPrincipal user,
        IGrainFactory grains,
        NangoProxyTargets targets,
        IHttpClientFactory httpClients,
        IOptions<NangoProxyOptions> options,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        var request = context.Request;
        var headers = new NangoProxyHeaders(request.Headers, options.Value.MaxRetries);
        if (!headers.IsValid)
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_headers", errors: headers.Errors);
        }

        if (!NangoConnections.IsOurs(headers.ProviderConfigKey))
        {
            return UnknownProviderConfig();
        }

        var target = targets.Resolve(headers.BaseUrlOverride, request.RouteValues["endpoint"] + request.QueryString.Value, out var refusal);
        if (target is null)
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_proxy_target", refusal);
        }

        var tenantId = user.TenantId();
        var connection = ConnectionIds.IsPlausible(headers.ConnectionId!) ? grains.GetGrain<IConnectionGrain>(headers.ConnectionId!) : null;
        var result = connection is null ? null : await connection.GetAccessTokenAsync(tenantId, new TokenRequest(NangoConnections.MinValiditySeconds));
        if (result is not TokenIssued token)
        {
            return result is null or TokenNotFound
                ? ConnectionNotFound()
                : await TokenFailureAsync(result, connection!, tenantId, context.Response, time.GetUtcNow());
        }

        var body = await ReadBodyAsync(request);
        using var outbound = new HttpRequestMessage(new HttpMethod(request.Method), target);
        outbound.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        foreach (var (name, value) in headers.Forwarded.Where(h => !ReservedHeaders.Contains(h.Key)))
        {
            outbound.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            outbound.Content = new ByteArrayContent(body);
            if (MediaTypeHeaderValue.TryParse(headers.ContentType ?? request.ContentType, out var contentType))
            {
                outbound.Content.Headers.ContentType = contentType;
            }
        }

        NangoProxyRetry.Ask(outbound, headers.Retries, headers.RetryOn);
        HttpResponseMessage answer;
        try
        {
            answer = await httpClients.CreateClient(NangoProxyRetry.HttpClientName)
                .SendAsync(outbound, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
            || e is OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            return NangoJson.Error(StatusCodes.Status502BadGateway, "proxy_failure",
                $"Google's API could not be reached ({e.GetType().Name}).");
        }

        // Disposed once the answer has been copied to the caller, not before.
        context.Response.RegisterForDispose(answer);
        return new NangoProxiedResult(answer);
    }

    /// <summary>The body, buffered so a retry can send it again (bodies are capped at 64 KiB anyway); none for an empty one.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.Length == 0 ? null : buffer.ToArray();
    }

    /// <summary>Google's status and body as they came, with its headers minus this hop's.</summary>
    private sealed class NangoProxiedResult(HttpResponseMessage answer) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (!HopHeaders.Contains(name) && !name.StartsWith("access-control-", StringComparison.OrdinalIgnoreCase))
                {
                    response.Headers[name] = values.ToArray();
                }
            }

            response.Headers.CacheControl = answer.Headers.CacheControl?.ToString() ?? "no-store";
            await answer.Content.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
    }
}

/// <summary>The headers <c>nango.proxy()</c> sends, read and checked as Nango's proxy does.</summary>
internal sealed class NangoProxyHeaders
{
    private const string ForwardPrefix = "Nango-Proxy-";
    private readonly List<NangoValidationError> _errors = [];

    public NangoProxyHeaders(IHeaderDictionary headers, int maxRetries)
    {
        ConnectionId = Required(headers, "connection-id");
        ProviderConfigKey = Required(headers, "provider-config-key");
        BaseUrlOverride = headers["base-url-override"].ToString() is { Length: > 0 } overridden ? overridden : null;
        ContentType = headers.ContentType.ToString() is { Length: > 0 } type ? type : null;
        var retries = headers["retries"].ToString();
        if (retries.Length > 0)
        {
            if (int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0 && count <= maxRetries)
            {
                Retries = count;
            }
            else
            {
                _errors.Add(new("invalid_type", $"Invalid input: expected a number between 0 and {maxRetries}", ["retries"]));
            }
        }

        var retryOn = headers["retry-on"].ToString();
        if (retryOn.Length > 0)
        {
            var codes = retryOn.Split(',').Select(code => int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1).ToArray();
            if (codes.Any(code => code is < 100 or > 599))
            {
                _errors.Add(new("invalid_format", "Invalid string: must match pattern /^\\d+(,\\d+)*$/", ["retry-on"]));
            }
            else
            {
                RetryOn = codes;
            }
        }

        Forwarded = [.. headers
            .Where(h => h.Key.StartsWith(ForwardPrefix, StringComparison.OrdinalIgnoreCase) && h.Key.Length > ForwardPrefix.Length)
            .Select(h => new KeyValuePair<string, string>(h.Key[ForwardPrefix.Length..], h.Value.ToString()))];
    }

    public string? ConnectionId { get; }

    public string? ProviderConfigKey { get; }

    public string? BaseUrlOverride { get; }

    public string? ContentType { get; }

    public int Retries { get; }

    public IReadOnlyList<int> RetryOn { get; } = [];

    /// <summary>The caller's own headers for Google: <c>Nango-Proxy-X</c> becomes <c>X</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Forwarded { get; }

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyList<NangoValidationError> Errors => _errors;

    private string? Required(IHeaderDictionary headers, string name)
    {
        var value = headers[name].ToString();
        if (value.Length is > 0 and <= 255)
        {
            return value;
        }

        _errors.Add(new("invalid_type", "Invalid input: expected string, received undefined", [name]));
        return null;
    }
}
