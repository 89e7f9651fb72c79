FROM python:3.11-slim AS build
WORKDIR /src
COPY slugs.py ./

# The test stage starts from build and runs the tests: a failing test fails this RUN.
FROM build AS test
COPY tests ./tests
RUN python -m unittest discover -s tests -t . -v

# The final stage copies from test, so it cannot be built unless the tests passed.
FROM python:3.11-slim
WORKDIR /app
COPY --from=test /src/slugs.py ./
USER 10001
ENTRYPOINT ["python", "/app/slugs.py"]
