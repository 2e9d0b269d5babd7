# The ofwire node agent: a production install (no dev dependencies) of the built package on Node 20.
#   docker build -t ofwire:0.1.0 .
# Build stage: compile TypeScript to dist/ (needs the dev dependencies).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/bundle-cli.mjs scripts/
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY protocol protocol
COPY lib lib
RUN npm run build

# Run stage: the same steps spec/deploy/image.test.ts runs in a clean directory.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /opt/ofwire
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist dist
RUN ln -s /opt/ofwire/dist/bin/main.js /usr/local/bin/ofwire
# Non-root by default; deploy/ofwire.yaml runs it as uid 0 only to open OVS's root-owned sockets.
USER node
ENTRYPOINT ["ofwire"]
CMD ["--help"]
