using System.Globalization;
using System.Text.Json;
using CalendarGrains.Benchmarks;
using CalendarGrains.Sandbox.Host;

// Token hand-out over HTTP (tenant auth + grain call + JSON, cached token) against a bare Kestrel
// JSON endpoint in the same process, under the same wrk load, in one run; then the in-silo rate of
// cached-token grain calls; then the latency of a Vapi tool call with a warm token (sandbox mode:
// Google Calendar is the in-process emulator, reached over HTTP). Usage: dotnet run -c Release --project bench/CalendarGrains.Benchmarks [-- seconds]
// Own commands: `-- queue [seconds]` (the call queue's work with 1,000 calls waiting, QueueWork.cs),
// `-- outbox` (Redis bytes per webhook acknowledgement, OutboxBytesPerAck.cs),
// `-- google-flow` (the cost of a Google.Apis.Auth flow per operation, GoogleFlowCost.cs).
switch (args)
{
    case ["queue", ..]:
        await QueueWork.PrintAsync(args);
        return;
    case ["outbox", ..]:
        await OutboxBytesPerAck.PrintAsync();
        return;
    case ["google-flow", ..]:
        GoogleFlowCost.Print();
        return;
}

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var duration = TimeSpan.FromSeconds(seconds);
const string AdminKey = "cga_benchmark-admin-key-0123456789";
const int Threads = 2;
const int Connections = 32;
const int Rounds = 5;

await using var service = SandboxHostApp.Build([
    "--urls=http://127.0.0.1:0", $"--Admin:ApiKey={AdminKey}", "--Logging:LogLevel:Default=Warning",
    $"--Orleans:SiloPort={FreePort()}", $"--Orleans:GatewayPort={FreePort()}"]);
await service.StartAsync();
var baseUrl = new Uri(service.Urls.First());

// The baseline: Kestrel and a minimal-API JSON answer of the same size, nothing else.
var bareBuilder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0"]);
bareBuilder.Logging.ClearProviders();
await using var bare = bareBuilder.Build();
var bareBody = new { accessToken = "ya29." + new string('x', 150), tokenType = "Bearer", expiresAt = DateTimeOffset.UnixEpoch, scopes = new[] { "https://www.googleapis.com/auth/calendar" } };
bare.MapPost("/bare", () => TypedResults.Ok(bareBody));
await bare.StartAsync();

// A tenant and a connection whose access token is cached for hours (imported, not validated: no Google here).
using var admin = new HttpClient { BaseAddress = baseUrl };
admin.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
var tenant = await (await admin.PostAsJsonAsync("/v1/tenants", new
{
    name = "Benchmark",
    google = new { clientId = "bench.apps.googleusercontent.com", clientSecret = "bench-secret" },
})).Content.ReadFromJsonAsync<JsonElement>();
var apiKey = tenant.GetProperty("apiKey").GetString()!;
var tenantId = tenant.GetProperty("id").GetString()!;
using var api = new HttpClient { BaseAddress = baseUrl };
api.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
var imported = await api.PostAsJsonAsync("/v1/connections?validate=false", new
{
    id = "bench-connection",
    endUserId = "bench-user",
    refreshToken = "1//bench",
    accessToken = "ya29." + new string('x', 150),
    expiresAt = TimeProvider.System.GetUtcNow().AddHours(6),
});
imported.EnsureSuccessStatusCode();

var tokenUrl = new Uri(baseUrl, "/v1/connections/bench-connection/token");
var bareUrl = new Uri(bare.Urls.First() + "/bare");
Console.WriteLine($"Warming up ({Threads} threads x {Connections} connections)...");
await Wrk.RunAsync("warm-up", tokenUrl, apiKey, Threads, Connections, TimeSpan.FromSeconds(15));
await Wrk.RunAsync("warm-up", bareUrl, null, Threads, Connections, TimeSpan.FromSeconds(15));

// Alternate the two endpoints over several rounds: this VM's speed drifts by tens of percent
// from one minute to the next, so each ratio compares runs taken side by side.
var rounds = new List<(Wrk.Result Ours, Wrk.Result Bare)>();
for (var round = 0; round < Rounds; round++)
{
    rounds.Add((
        await Wrk.RunAsync("POST /v1/connections/{id}/token (auth + grain + JSON)", tokenUrl, apiKey, Threads, Connections, duration),
        await Wrk.RunAsync("POST /bare (Kestrel + minimal API JSON)", bareUrl, null, Threads, Connections, duration)));
}

var median = rounds.OrderBy(r => r.Ours.RequestsPerSecond / r.Bare.RequestsPerSecond).ElementAt(Rounds / 2);
var (ours, baseline) = median;
var grainRate = await GrainCallRate.MeasureAsync(service.Services.GetRequiredService<IGrainFactory>(), tenantId, "bench-connection", 200, duration);
var toolCalls = await ToolCallLatency.MeasureAsync(baseUrl, admin, service.Services.GetRequiredService<CalendarGrains.Sandbox.Google.GoogleEmulator>(), 300);

Console.WriteLine();
Console.WriteLine($"wrk -t{Threads} -c{Connections} -d{seconds}s --latency, same process, {Environment.ProcessorCount} cores");
Console.WriteLine();
Console.WriteLine("| endpoint | requests/s | p50 ms | p99 ms | non-2xx |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var r in new[] { ours, baseline })
{
    Console.WriteLine(FormattableString.Invariant($"| {r.Name} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.Errors} |"));
}

Console.WriteLine();
Console.WriteLine(FormattableString.Invariant($"ratio (ours / bare Kestrel), median of {Rounds} alternating rounds: {ours.RequestsPerSecond / baseline.RequestsPerSecond:F2}   (target >= 0.6; p99 target <= 5 ms)"));
Console.WriteLine("rounds: " + string.Join(", ", rounds.Select(r => FormattableString.Invariant($"{r.Ours.RequestsPerSecond:F0}/{r.Bare.RequestsPerSecond:F0} = {r.Ours.RequestsPerSecond / r.Bare.RequestsPerSecond:F2}"))));
Console.WriteLine(FormattableString.Invariant($"in-silo cached-token grain calls: {grainRate:F0}/s with 200 concurrent callers   (target >= 50,000/s)"));
Console.WriteLine(FormattableString.Invariant($"tool call (check_availability, warm token, Calendar emulator over HTTP in-process), sequential: median {toolCalls.MedianMs:F2} ms, p99 {toolCalls.P99Ms:F2} ms over {toolCalls.Calls} calls"));
var listing = await ListingAtScale.MeasureAsync();
if (listing is not null)
{
    Console.WriteLine(FormattableString.Invariant($"list index page of 50 for a tenant of {listing.Members:N0} connections (redis-server, ZRANGE BYLEX), median: start {listing.StartMs:F3} ms, middle {listing.MiddleMs:F3} ms, end {listing.EndMs:F3} ms (seeded in {listing.SeedSeconds:F1} s)"));
}

await bare.StopAsync();
await service.StopAsync();

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}
