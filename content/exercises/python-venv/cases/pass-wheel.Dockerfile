# The build stage makes a wheel and installs it into the virtualenv; the runtime creates a
# named user and finds the command on PATH.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir /wheels/*.whl

FROM python:3.11-slim
RUN useradd --uid 10001 --create-home app
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
USER app
CMD ["inventory"]
