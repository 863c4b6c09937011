# One image for both processes: the API (`node backend/dist/backend/src/main.js`, which also serves the built
# frontend) and the worker (`node backend/dist/backend/src/worker.js`). Dev dependencies stay in the image
# because `npm run migrate` and `npm run seed` run the TypeScript sources through ts-node.
FROM node:20-bookworm-slim

# CJK fonts for the generated PDFs (commitment letters, opinions).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV SCARF_ANALYTICS=false

# Dependencies first, so that a source change does not re-install them.
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build

# Writable places for the unprivileged user: file storage (a volume in docker-compose.yml) and .local
# (development secrets when JWT_SECRET / API_KEY_PEPPER / SECRETS_KEY are not given).
RUN mkdir -p /var/lib/qianzhi/storage /app/.local \
 && chown -R node:node /var/lib/qianzhi /app/.local
USER node

ENV NODE_ENV=production \
    PORT=3000 \
    STORAGE_DIR=/var/lib/qianzhi/storage
EXPOSE 3000

CMD ["node", "backend/dist/backend/src/main.js"]
