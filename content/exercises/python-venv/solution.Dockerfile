# Build stage: a virtualenv with the service installed in it, at the path it will run from.
FROM python:3.11 AS build
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY pyproject.toml ./
COPY src ./src
RUN pip install --no-cache-dir .

# Runtime stage: the same Python, the virtualenv, a user of its own.
FROM python:3.11-slim
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN useradd --system --uid 10001 --no-create-home inventory
USER 10001
ENTRYPOINT ["/opt/venv/bin/inventory"]
