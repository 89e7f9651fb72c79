# A test stage exists, but the final stage copies from build: BuildKit skips the tests.
# fails: tests-cannot-be-skipped
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .

FROM build AS test
RUN python -m unittest discover -s tests -t .

FROM python:3.11-slim
COPY --from=build /src/slugs.py /app/slugs.py
ENTRYPOINT ["python", "/app/slugs.py"]
