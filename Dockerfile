# erp-pulse: the bot, its migrations and SQL, on Node 24 LTS. Runs TypeScript directly (Node strips types).
# Build: docker build -t erp-pulse .
# Run:   docker run -p 8080:8080 -v erp-pulse-data:/data -e DATABASE_URL=postgres://… erp-pulse
#        (without DATABASE_URL it starts its own embedded Postgres in /data)

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Production dependencies only, at the versions the lock file pins; the embedded Postgres package's
# install script (allowed in package.json) links its libraries. `npm install` rather than `npm ci`:
# the lock is written on linux-x64 and lacks other platforms' optional binaries (resvg, Biome),
# which npm ci would refuse on an arm64 build.
RUN npm install --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production \
    ERP_PULSE_CONFIG=/app/templates/docker.yaml
# tini reaps the embedded Postgres and forwards SIGTERM so shutdown runs in order.
# No system fonts are needed: charts render with the DejaVu TTFs of the dejavu-fonts-ttf package.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system erp && useradd --system --gid erp --home-dir /app erp \
 && mkdir -p /data && chown erp:erp /data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY commands ./commands
COPY jobs ./jobs
COPY migrations ./migrations
COPY sql ./sql
COPY templates ./templates
USER erp
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "--max-semi-space-size=16", "--max-old-space-size=1024", "src/cli.ts"]
CMD ["start"]
