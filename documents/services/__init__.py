"""Every change of state of the documents chapter (DOC-1..6).

Each service runs in a transaction, locks the row two people could change at once,
checks the move against the rules, saves with the history user and leaves mail to
after commit (approvals.notify, bureau.outbox). A refusal raises DocumentError with
the user's message before anything is written, or rolls everything back.
"""

from documents.services.archives import *  # noqa: F403
from documents.services.common import *  # noqa: F403
from documents.services.incoming import *  # noqa: F403
from documents.services.outgoing import *  # noqa: F403
from documents.services.printroom import *  # noqa: F403
from documents.services.supervision import *  # noqa: F403
