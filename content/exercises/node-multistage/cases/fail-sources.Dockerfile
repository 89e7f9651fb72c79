# The build stage is right, but the runtime copies the whole folder back: sources, compiler
# and all.
# fails: no-dev-deps, no-sources
FROM node:20-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app ./
ENTRYPOINT ["node", "dist/server.js"]
