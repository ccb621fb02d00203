# The migrator's image (db-init/: Evolve and the versioned migrations of both databases), which compose and the
# Kubernetes Job (deploy/kubernetes/db-init.yaml) run before the services: it brings each database named by
# ConnectionStrings__customersdb and ConnectionStrings__ordersdb to its latest version and exits (0 when both are).
# From the repository root:
#   docker build -f docker/db-init.Dockerfile -t challenge/db-init .
# Base images are pinned by digest (scripts/pin-images.sh refreshes the pins); the services' own images, so one pin each.
FROM mcr.microsoft.com/dotnet/sdk:10.0@sha256:ea8bde36c11b6e7eec2656d0e59101d4462f6bd630730f2c8201ed0572b295d5 AS build
WORKDIR /src
COPY . .
RUN dotnet publish db-init/DbInit.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0@sha256:1fa23fc4872d95fd71c2833ebe65d7e84a43b2d51a31d119516852f13d9505a7
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
ENTRYPOINT ["dotnet", "DbInit.dll"]
