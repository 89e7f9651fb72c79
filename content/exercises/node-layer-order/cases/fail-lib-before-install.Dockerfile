# The manifests come first, but lib/ is copied before the install as well: an edit to
# lib/format.js still re-runs npm ci. (server.js edits would not.)
# fails: install-cached
FROM node:20-alpine
WORKDIR /app
COPY package*.json ./
COPY lib ./lib
RUN npm ci --omit=dev
COPY server.js ./
USER node
CMD ["node", "server.js"]
