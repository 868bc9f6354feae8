// ObjectGraph: the umbrella header.
#pragma once

#include "og/assertion.hpp"
#include "og/changes.hpp"
#include "og/corpus.hpp"
#include "og/diagnostic.hpp"
#include "og/document.hpp"
#include "og/graph_export.hpp"
#include "og/io.hpp"
#include "og/parse.hpp"
#include "og/query.hpp"
#include "og/query_json.hpp"
#include "og/render.hpp"
#include "og/result.hpp"
#include "og/source.hpp"
#include "og/tokenizer.hpp"
#include "og/transpile.hpp"
#include "og/write.hpp"
