import json
from sunshine.opendata import service
from sunshine.opendata.models import OpenRelease
from sqlalchemy import select
from tests.opendata.validate import errors

def test_scratch(demo, client):
    with demo.unit_of_work() as s:
        rows = s.scalars(select(OpenRelease)).all()
        for r in rows:
            print(r.release_id, r.stage, r.tag)
            e = errors("release", json.loads(r.data))
            if e: print("  ", e[:3])
    r = client.get("/api/v1/opendata/records")
    print(r.status_code, r.text[:300])
    e = errors("record-package", r.json()); print(e[:5])
    r = client.get("/api/v1/opendata/releases")
    print(r.status_code, errors("release-package", r.json())[:5])
    assert 0
