# Two stages, but the runtime gets the build stage's whole node_modules: the compiler and
# the type definitions ship with the service.
# fails: no-dev-deps
FROM node:20-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
ENTRYPOINT ["node", "dist/server.js"]
