# USER node is there, but COPY . . still comes before npm ci: every edit re-runs the install.
# fails: install-cached
FROM node:20-alpine
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
USER node
CMD ["node", "server.js"]
