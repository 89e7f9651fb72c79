# quotes: one stage does everything, so the image keeps the TypeScript compiler, the type
# definitions and the sources next to the compiled service.
FROM node:20-slim
WORKDIR /app
COPY . .
RUN npm install
RUN npm run build
ENTRYPOINT ["node", "dist/server.js"]
