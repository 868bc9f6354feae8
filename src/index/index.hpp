// Internal access to a CorpusIndex's Xapian database, for the library that searches it.
#pragma once

#include <xapian.h>

#include "og/index.hpp"

namespace og {

/// A reader of the index's last commit, of its own (a Xapian database object is not safe to
/// share between threads; each library holds one and locks it).
Xapian::Database search_snapshot(const CorpusIndex& index);

} // namespace og
