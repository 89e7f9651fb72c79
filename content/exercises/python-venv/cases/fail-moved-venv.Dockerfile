# The virtualenv is built at /venv and copied to /opt/venv: its scripts still start with
# #!/venv/bin/python, which the runtime does not have.
# fails: serves
FROM python:3.11 AS build
RUN python -m venv /venv
WORKDIR /src
COPY . .
RUN /venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
COPY --from=build /venv /opt/venv
USER 10001
ENTRYPOINT ["/opt/venv/bin/inventory"]
