# The runtime copies the sources along with the virtualenv.
# fails: no-sources
FROM python:3.11 AS build
RUN python -m venv /opt/venv
COPY . /src
RUN /opt/venv/bin/pip install --no-cache-dir /src

FROM python:3.11-slim
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src /src
USER 10001
ENTRYPOINT ["/opt/venv/bin/inventory"]
