# Builds and runs one of the product's services on Linux (the same recipe for each). From the repository root:
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=CustomersApi --build-arg PORT=3001 -t challenge/customers-api .
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=OrdersApi --build-arg PORT=3002 -t challenge/orders-api .
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=OrderEvents --build-arg PORT=3003 -t challenge/order-events .
#   docker build -f docker/service.Dockerfile --build-arg SERVICE=OperatorConsole --build-arg PORT=3004 -t challenge/operator-console .
# Base images are pinned by digest (scripts/pin-images.sh refreshes the pins).
FROM mcr.microsoft.com/dotnet/sdk:10.0@sha256:ea8bde36c11b6e7eec2656d0e59101d4462f6bd630730f2c8201ed0572b295d5 AS build
ARG SERVICE
WORKDIR /src
# The whole source (.dockerignore keeps out build outputs, .git and every local .data folder): the service's own
# project references decide what is built.
COPY . .
RUN test -n "$SERVICE" && dotnet publish "$SERVICE/$SERVICE.csproj" -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0@sha256:1fa23fc4872d95fd71c2833ebe65d7e84a43b2d51a31d119516852f13d9505a7
ARG SERVICE
ARG PORT
# curl answers the container health check: /alive, the process itself (not its database, which /health includes).
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# Where the operator console keeps its data protection keys (a volume mounted there keeps this owner).
RUN mkdir -p /keys && chown "$APP_UID" /keys
ENV ASPNETCORE_URLS=http://+:${PORT} SERVICE_DLL=${SERVICE}.dll SERVICE_PORT=${PORT}
EXPOSE ${PORT}
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS "http://localhost:${SERVICE_PORT}/alive" || exit 1
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_DLL\""]
