# timer: the whole folder is copied before npm ci, so any edit to server.js re-runs the
# install; and the service runs as root.
FROM node:20-alpine
WORKDIR /app
COPY . .
RUN npm ci --omit=dev
CMD ["node", "server.js"]
