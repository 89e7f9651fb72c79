# inventory: pip installs the service into the image's own Python, in one stage that keeps
# the sources in /src and runs as root.
FROM python:3.11
COPY . /src
RUN pip install /src
CMD ["inventory"]
