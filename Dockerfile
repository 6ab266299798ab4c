# Two stages: build with the SDK, run on the ASP.NET Core runtime as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# ReadyToRun code for the target's runtime identifier: start-up and the first answers skip most JIT work (docs/benchmarks.md, Lean).
ARG RID=linux-x64
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/PaperBot.Core/PaperBot.Core.csproj src/PaperBot.Core/
COPY src/PaperBot.WeChat/PaperBot.WeChat.csproj src/PaperBot.WeChat/
COPY src/PaperBot/PaperBot.csproj src/PaperBot/
RUN dotnet restore src/PaperBot/PaperBot.csproj --runtime $RID
COPY config/ config/
COPY samples/ samples/
COPY src/ src/
RUN dotnet publish src/PaperBot/PaperBot.csproj --configuration Release --runtime $RID --self-contained false -p:PublishReadyToRun=true --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Noto CJK draws the WeChat article's generated cover (WeChat__Article__Cover and __CoverFont can replace it).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /app/data && chown -R app:app /app/data
USER app
# DOTNET_GCgen0size: the garbage collector sizes its youngest generation from the CPU's cache, tens of MiB on a server
# CPU, and a bot answering short requests turns that into resident memory; 8 MiB keeps the peak near the live data
# (docs/benchmarks.md, Lean). The variable is read only from the environment, not from runtimeconfig.json.
# MALLOC_ARENA_MAX: glibc gives threads malloc arenas of their own, up to eight per core, and each keeps what it once
# held; SQLite's and the runtime's native allocations on the thread pool's threads spread over sixteen of them during a
# push. Two keep native memory near what is in use (docs/benchmarks.md). glibc reads it before any thread starts.
ENV Urls=http://+:5080 \
    DOTNET_ENVIRONMENT=Production \
    DOTNET_GCgen0size=0x800000 \
    MALLOC_ARENA_MAX=2
EXPOSE 5080
VOLUME ["/app/data"]
ENTRYPOINT ["dotnet", "PaperBot.dll"]
