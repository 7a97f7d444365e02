# convotel: `convotel serve` (OTLP/HTTP ingest on 4318, REST API and web app on 8080), the
# same entry point as `npm start`. Checked offline by packages/deploy (entry point, env names,
# ports, what the runtime stage copies).
#
#   docker build -t convotel .
#   docker run -p 4318:4318 -p 8080:8080 -e CONVOTEL_API_KEYS=change-me convotel
#
# Without DATABASE_URL the server keeps an embedded PGlite database in /data (mount a volume
# there); with it, PostgreSQL. Without CONVOTEL_API_KEYS the API listens on 127.0.0.1 only,
# which from outside the container means not at all: set a key.
ARG NODE_IMAGE=node:20.19-bookworm-slim

# Build: every dependency, then tsc -b and the web app's bundle.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages/ packages/
# --ignore-scripts: the root `prepare` script would build once more; no dependency needs its
# install script for the build (esbuild and rollup come as per-platform packages).
RUN npm ci --ignore-scripts --no-audit --no-fund && npm run build

# Production dependencies only; the workspace packages are linked, their code comes from build.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/semconv/package.json packages/semconv/
COPY packages/pricing/package.json packages/pricing/
COPY packages/instrumentation/package.json packages/instrumentation/
COPY packages/store/package.json packages/store/
COPY packages/ingest/package.json packages/ingest/
COPY packages/query/package.json packages/query/
COPY packages/api/package.json packages/api/
COPY packages/cli/package.json packages/cli/
COPY packages/web/package.json packages/web/
COPY packages/deploy/package.json packages/deploy/
# --ignore-scripts: the root `prepare` would build, which needs the dev dependencies.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    CONVOTEL_OTLP_PORT=4318 \
    CONVOTEL_PORT=8080 \
    CONVOTEL_DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app ./
# What each package the CLI loads ships (its package.json "files").
COPY --from=build /app/packages/semconv/dist packages/semconv/dist
COPY --from=build /app/packages/pricing/dist packages/pricing/dist
COPY --from=build /app/packages/store/dist packages/store/dist
COPY --from=build /app/packages/store/migrations packages/store/migrations
COPY --from=build /app/packages/ingest/dist packages/ingest/dist
COPY --from=build /app/packages/ingest/proto packages/ingest/proto
COPY --from=build /app/packages/query/dist packages/query/dist
COPY --from=build /app/packages/api/dist packages/api/dist
COPY --from=build /app/packages/web/dist packages/web/dist
COPY --from=build /app/packages/cli/dist packages/cli/dist
COPY --from=build /app/packages/cli/bin packages/cli/bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 4318 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.CONVOTEL_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "packages/cli/bin/convotel.js", "serve"]
