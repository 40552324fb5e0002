"""Generated documents: one machinery in the core, each app declares only its kinds.

A *document* is one generated file (a plan book, a meeting pack, minutes …) with a record
``osm.models.Document`` (defined in ``osm/documents/models.py``): its kind ("strategy.plan_book"),
cluster, subject (a generic relation: the plan, the meeting, the cluster …), params (JSON:
``language`` always, plus the kind's own, e.g. ``fiscal_year``), status ``queued → rendering →
ready / failed``, the file in private storage (``osm.lib.storage``), its sha256 ``checksum``,
``pages``, ``size``, ``data_as_of`` (when its data was read), ``requested_by`` and the
requested / enqueued / started / finished times, ``attempts``, ``generation`` (how many times
it was requested) and a user-facing error (``error_text``; never a traceback).
There is one record per (kind, subject, params): asking again regenerates the same record and
replaces its file; the last good file stays downloadable while the new one is built.

DECLARING A KIND (in the app's ``AppConfig.ready()``)::

    from osm import registry
    registry.add_document_kind(registry.DocumentKind(
        code="committee.meeting_pack",             # "<app>.<name>", stored on the record
        label=_("Meeting pack"),                    # lazy translation
        subject_model="committee.meeting",          # the subject's model label
        build=build_meeting_pack,                   # (document) -> DocumentBuild | bytes
        can_request=lambda scope, meeting: …,       # default: OSM staff of the cluster
        can_read=lambda scope, meeting: …,          # default: staff, committee and central
        cluster_of=lambda meeting: meeting.committee.cluster_id,  # default: subject.cluster_id
        filename=lambda document: "ระเบียบวาระ …",  # Thai is fine; ".pdf" is added
        clean_params=lambda data, meeting: {},      # posted form -> params (ValidationError)
        max_attempts=3,                             # failures (or lost workers) before "failed"
    ))

``build(document)`` runs in the Celery worker with the document's language active and Thai
digits switched on when ``params["thai_digits"]`` or, by default, ``Cluster.thai_digits`` says
so (``osm.lib.display.digits`` and the ``digits``/``num``/``be_date`` filters follow it). It
reads ``document.subject``, ``document.params`` and ``document.data_as_of`` (the moment the
render started: print it as "data as of"), renders a template under
``templates/<app>/pdf/`` that extends ``osm/pdf/base.html`` with
``osm.lib.pdf.render_pdf_pages(template, context)`` and returns
``registry.DocumentBuild(content=…, pages=…)`` (or the bare bytes: the core counts the
pages). It raises ``osm.documents.services.DocumentError(_("…"))`` for a failure people can act
on (shown as is, not retried); any other exception is logged and retried.

REQUESTING (services; views and tests)::

    from osm.documents.services import document_request
    document = document_request(kind="strategy.plan_book", subject=plan,
                                params={"fiscal_year": 2570}, by=user)

It creates or re-queues the record and sends the render task after commit. With the broker
away the record stays queued with ``document.waiting_for_queue`` true and beat sends it later
(``documents_sweep``); nothing is lost.

RENDERING: the Celery task ``osm.tasks.render_document(document_id)`` (queue ``pdf``, routed in
``CELERY_TASK_ROUTES``; ``acks_late`` + ``reject_on_worker_lost``; retried with backoff;
hard limit ``DOCUMENT_RENDER_SECONDS``) calls ``document_render``. It is idempotent: a
document already ready or failed is left alone, and a PostgreSQL advisory lock per document
(dropped by the server when a worker's connection dies) makes sure only one live worker
builds it. A worker killed mid-render leaves the document "rendering" with the lock free:
Redis redelivers the task after ``CELERY_VISIBILITY_TIMEOUT`` and beat's
``osm.sweep_documents`` (every ``DOCUMENT_SWEEP_SECONDS``) sends it again sooner. The file is
written under a temporary name and renamed, so a kill never leaves half a file. A document
that fails ``max_attempts`` times is "failed": its error shows on the panel and its requester
and the cluster's OSM staff get an early warning (the alert rule ``osm.document_failed`` in
``osm/documents/alerts.py``, run at once after the failure; it resolves when the document is
ready again).

ON PAGES: ``{% load osm_tags %}{% document_panel "strategy.plan_book" plan %}`` (kind
params as keywords: ``fiscal_year=2570``) shows the generate / generate-again button to those
who may request it, the live status (htmx polls ``osm:document-status`` every 2 s while it is
queued or being built; without JavaScript the button leads to a status page that reloads
itself) and the download link (``osm:document-download``, checked against the kind's
``can_read``). Routes: ``osm:document-generate`` (POST ``documents/<kind>/<subject_id>/generate/``),
``osm:document-status`` (GET ``documents/<pk>/``), ``osm:document-download`` (GET
``documents/<pk>/download/``).
"""
