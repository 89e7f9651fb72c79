FROM node:20-alpine
ENV NODE_ENV=production
WORKDIR /app
# The manifest and the lockfile first: npm ci is cached until one of them changes.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
# The sources last: editing them re-runs only this COPY.
COPY . .
USER node
CMD ["node", "server.js"]
