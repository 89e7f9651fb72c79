# The tests run and gate the image, but the final stage copies the whole folder, tests
# included.
# fails: no-tests
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .

FROM build AS test
RUN python -m unittest discover -s tests -t .

FROM python:3.11-slim
COPY --from=test /src /app
ENTRYPOINT ["python", "/app/slugs.py"]
