namespace CalendarGrains.Google;

/// <summary>
/// Routes Google.Apis.Auth's HTTP through one shared, pooled handler (connection reuse, DNS
/// refresh every few minutes, and the same HttpClient diagnostics the rest of the service emits).
/// </summary>
internal sealed class SharedHandlerHttpClientFactory(HttpMessageInvoker shared) : global::Google.Apis.Http.HttpClientFactory
{
    protected override HttpMessageHandler CreateHandler(global::Google.Apis.Http.CreateHttpClientArgs args) => new ForwardingHandler(shared);

    /// <summary>The library disposes its clients and handlers; the shared handler must outlive them.</summary>
    private sealed class ForwardingHandler(HttpMessageInvoker shared) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            shared.SendAsync(request, cancellationToken);
    }
}
