# The runtime gets dist/ only: the service cannot find its one production dependency (ms).
# fails: serves
FROM node:20-alpine AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
COPY --from=build /app/dist ./dist
ENTRYPOINT ["node", "dist/server.js"]
