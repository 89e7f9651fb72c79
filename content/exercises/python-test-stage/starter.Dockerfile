# slugs: the tests ship in the image and nothing runs them.
FROM python:3.11-slim
WORKDIR /app
COPY . .
ENTRYPOINT ["python", "/app/slugs.py"]
