# The solution's shape, with a bug introduced in the build stage: the tests fail, so the
# build fails, and no image is produced.
# fails: builds
FROM python:3.11-slim AS build
WORKDIR /src
COPY slugs.py ./
RUN sed -i 's/text.lower()/text/' slugs.py

FROM build AS test
COPY tests ./tests
RUN python -m unittest discover -s tests -t .

FROM python:3.11-slim
COPY --from=test /src/slugs.py /app/slugs.py
ENTRYPOINT ["python", "/app/slugs.py"]
