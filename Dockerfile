# The app image for docker-compose.yml. Native addons build from source, as on a bare machine.
FROM node:20-bookworm
WORKDIR /app
# The whole tree before `npm ci`: its postinstall (build/build.ts) bundles the web pages from web/ and modeler-ui/
# into dist/web and compiles the server to JavaScript in dist/server.
COPY . .
RUN npm ci --omit=dev --include=optional && npm cache clean --force
ENV PORT=3000 DATA_DIR=/app/data
EXPOSE 3000
CMD ["node", "dist/server/system/main.js"]
