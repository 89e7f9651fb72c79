# Tests run in a stage of their own that starts from the base; the final stage depends on it
# through the file it copies.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .

FROM build AS test
RUN python -m unittest -v tests.test_slugs

FROM python:3.11-slim
COPY --from=test /src/slugs.py /app/slugs.py
ENTRYPOINT ["python", "/app/slugs.py"]
