# Two stages and a working virtualenv, but the service runs as root.
# fails: not-root
FROM python:3.11 AS build
RUN python -m venv /opt/venv
COPY . /src
RUN /opt/venv/bin/pip install --no-cache-dir /src

FROM python:3.11-slim
COPY --from=build /opt/venv /opt/venv
ENTRYPOINT ["/opt/venv/bin/inventory"]
