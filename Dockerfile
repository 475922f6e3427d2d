# CalendarGrains: one process = one Orleans silo + the HTTP API.
# Build from the repository root:  docker build -t calendargrains .
# Run it as deploy/compose.yaml or deploy/kubernetes/ do (Redis mode); see deploy/README.md.

# ---- build: the SDK restores with the central package files, then publishes the silo in Release.
# The silo alone: the emulators (CalendarGrains.Sandbox) and the sandbox host are never in the image
# (.ci/run publishes the silo this way and checks the output for them).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore from the project files alone, so this layer stays cached until a dependency changes.
# Every project the silo references must be listed here (a test checks it).
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/CalendarGrains.Abstractions/CalendarGrains.Abstractions.csproj src/CalendarGrains.Abstractions/
COPY src/CalendarGrains.Grains/CalendarGrains.Grains.csproj src/CalendarGrains.Grains/
COPY src/CalendarGrains.Silo/CalendarGrains.Silo.csproj src/CalendarGrains.Silo/
RUN dotnet restore src/CalendarGrains.Silo/CalendarGrains.Silo.csproj

COPY src/CalendarGrains.Abstractions/ src/CalendarGrains.Abstractions/
COPY src/CalendarGrains.Grains/ src/CalendarGrains.Grains/
COPY src/CalendarGrains.Silo/ src/CalendarGrains.Silo/
RUN dotnet publish src/CalendarGrains.Silo/CalendarGrains.Silo.csproj \
      --configuration Release --no-restore --output /app -p:UseAppHost=false

# ---- runtime: the ASP.NET Core runtime only, no SDK, no sources.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# Owned by root and not writable by the app user: the process needs no writable file here.
COPY --from=build /app ./

# Note: appsettings.json sets Urls to loopback for developers, and it outranks ASPNETCORE_URLS
# (and the image's ASPNETCORE_HTTP_PORTS); the unprefixed URLS variable outranks appsettings.json.
# In a container the service must listen on every interface.
ENV URLS=http://0.0.0.0:8080 \
    ASPNETCORE_HTTP_PORTS="" \
    DOTNET_gcServer=1

# HTTP API, silo-to-silo, gateway (Orleans:SiloPort and Orleans:GatewayPort defaults).
EXPOSE 8080 11111 30000

# The image's non-root "app" user (uid 1654).
USER $APP_UID

# The image has no curl or wget: the binary probes its own liveness endpoint (exit 0 or 1).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["dotnet", "CalendarGrains.Silo.dll", "--probe", "http://127.0.0.1:8080/health/live"]

ENTRYPOINT ["dotnet", "CalendarGrains.Silo.dll"]
