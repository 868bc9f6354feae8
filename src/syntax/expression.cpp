// The `:check` expression language: a recursive-descent parser with a depth bound, and an
// evaluator over a JSON state and an output string. No code runs; regexes are RE2.
//
//   expr    := and ('or' and)*
//   and     := unary ('and' unary)*
//   unary   := 'not' unary | compare
//   compare := value (('=='|'!='|'<'|'<='|'>'|'>='|'in') value | 'matches' REGEX)?
//   value   := NUMBER | STRING | true | false | null | path | 'exists' '(' path ')'
//            | 'len' '(' value ')' | '(' expr ')' | '[' (value (',' value)*)? ']'
//   path    := ('state' | 'output') ('.' NAME | '[' NUMBER ']' | '[' STRING ']')*
#include <re2/re2.h>

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "og/assertion.hpp"

namespace og {

using nlohmann::json;

struct Expression::Tree {
  enum Kind : uint8_t { literal, path, exists, length, list, unary_not, binary, matches };
  struct Step {
    bool index = false;
    size_t number = 0;
    std::string key;
  };
  Kind kind = literal;
  std::string op;          // binary: ==, !=, <, <=, >, >=, in, and, or
  json value;              // literal
  bool output = false;     // path root: output instead of state
  std::vector<Step> steps; // path
  std::vector<Tree> children;
  std::shared_ptr<RE2> regex; // matches
  std::string text;           // source text of this node, for failure reports
};

namespace {

using Tree = Expression::Tree;

class Parser {
public:
  Parser(std::string_view text, const ExpressionLimits& limits) : text_(text), limits_(limits) {}

  std::optional<Tree> parse(ExpressionError* error) {
    if (text_.size() > limits_.max_bytes)
      return fail(0, fmt::format("longer than {} bytes", limits_.max_bytes), error);
    std::optional<Tree> tree = expr();
    skip_space();
    if (tree && pos_ < text_.size())
      return fail(pos_, "unexpected text after the expression", error);
    if (!tree) return fail(error_offset_, error_, error);
    return tree;
  }

private:
  static std::optional<Tree> fail(size_t at, std::string message, ExpressionError* error) {
    if (error) *error = {static_cast<uint32_t>(at), std::move(message)};
    return std::nullopt;
  }
  std::optional<Tree> error(std::string message) {
    if (error_.empty()) error_ = std::move(message), error_offset_ = pos_;
    return std::nullopt;
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  static bool is_word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  }
  bool keyword(std::string_view word) {
    skip_space();
    if (text_.substr(pos_, word.size()) != word) return false;
    size_t end = pos_ + word.size();
    if (end < text_.size() && is_word(text_[end]) && is_word(word.back())) return false;
    pos_ = end;
    return true;
  }

  std::optional<Tree> expr() {
    if (++depth_ > limits_.max_depth)
      return error(fmt::format("nested deeper than {}", limits_.max_depth));
    std::optional<Tree> left = conjunction();
    while (left && keyword("or")) left = combine("or", std::move(*left), conjunction());
    --depth_;
    return left;
  }
  std::optional<Tree> conjunction() {
    std::optional<Tree> left = unary();
    while (left && keyword("and")) left = combine("and", std::move(*left), unary());
    return left;
  }
  std::optional<Tree> unary() {
    if (!keyword("not")) return compare();
    if (++depth_ > limits_.max_depth)
      return error(fmt::format("nested deeper than {}", limits_.max_depth));
    std::optional<Tree> operand = unary();
    --depth_;
    if (!operand) return std::nullopt;
    Tree tree;
    tree.kind = Tree::unary_not;
    tree.children.push_back(std::move(*operand));
    return tree;
  }
  static std::optional<Tree> combine(std::string op, Tree left, std::optional<Tree> right) {
    if (!right) return std::nullopt;
    Tree tree;
    tree.kind = Tree::binary;
    tree.op = std::move(op);
    tree.children.push_back(std::move(left));
    tree.children.push_back(std::move(*right));
    return tree;
  }

  std::optional<Tree> compare() {
    size_t start = (skip_space(), pos_);
    std::optional<Tree> left = value();
    if (!left) return std::nullopt;
    if (keyword("matches")) return regex(std::move(*left), start);
    skip_space();
    for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
      if (text_.substr(pos_, op.size()) != op) continue;
      pos_ += op.size();
      return with_text(combine(std::string(op), std::move(*left), value()), start);
    }
    if (keyword("in")) return with_text(combine("in", std::move(*left), value()), start);
    return left;
  }
  std::optional<Tree> with_text(std::optional<Tree> tree, size_t start) {
    if (tree) tree->text = std::string(text_.substr(start, pos_ - start));
    return tree;
  }

  std::optional<Tree> regex(Tree subject, size_t start) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '/')
      return error("`matches` takes a /regular expression/");
    std::string pattern;
    for (++pos_; pos_ < text_.size() && text_[pos_] != '/'; ++pos_) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/')
        ++pos_;
      else if (text_[pos_] == '\\' && pos_ + 1 < text_.size())
        pattern += text_[pos_++];
      pattern += text_[pos_];
    }
    if (pos_ >= text_.size()) return error("unterminated /regular expression/");
    ++pos_;
    RE2::Options options;
    options.set_log_errors(false);
    if (pos_ < text_.size() && text_[pos_] == 'i') options.set_case_sensitive(false), ++pos_;
    if (pattern.size() > limits_.max_regex_bytes)
      return error(fmt::format("regular expression longer than {} bytes", limits_.max_regex_bytes));
    auto compiled = std::make_shared<RE2>(pattern, options);
    if (!compiled->ok()) return error("invalid regular expression: " + compiled->error());
    Tree tree;
    tree.kind = Tree::matches;
    tree.regex = std::move(compiled);
    tree.children.push_back(std::move(subject));
    return with_text(std::move(tree), start);
  }

  std::optional<Tree> value() {
    skip_space();
    if (pos_ >= text_.size()) return error("expected a value");
    char c = text_[pos_];
    if (c == '"' || c == '\'') return string_literal();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number();
    if (c == '(') return parenthesized();
    if (c == '[') return list();
    if (keyword("true")) return literal(true);
    if (keyword("false")) return literal(false);
    if (keyword("null")) return literal(nullptr);
    if (keyword("exists")) return function(Tree::exists);
    if (keyword("len")) return function(Tree::length);
    if (text_.substr(pos_, 5) == "state" || text_.substr(pos_, 6) == "output") return path();
    return error("expected a value: a number, \"text\", true, false, null, state…, output, "
                 "exists(), len(), (…) or […]");
  }

  static Tree literal(json value) {
    Tree tree;
    tree.value = std::move(value);
    return tree;
  }

  std::optional<Tree> string_literal() {
    char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out += text_[pos_++];
    }
    if (pos_ >= text_.size()) return error("unterminated string");
    ++pos_;
    return literal(out);
  }

  std::optional<Tree> number() {
    size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.'))
      ++pos_;
    int64_t whole = 0;
    auto [whole_end, whole_ec] = std::from_chars(text_.data() + start, text_.data() + pos_, whole);
    if (whole_ec == std::errc() && whole_end == text_.data() + pos_) return literal(whole);
    double value = 0;
    auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (ec != std::errc() || end != text_.data() + pos_) return error("invalid number");
    return literal(value);
  }

  std::optional<Tree> parenthesized() {
    ++pos_;
    std::optional<Tree> inner = expr();
    skip_space();
    if (!inner) return std::nullopt;
    if (pos_ >= text_.size() || text_[pos_] != ')') return error("expected `)`");
    ++pos_;
    return inner;
  }

  std::optional<Tree> list() {
    if (++depth_ > limits_.max_depth)
      return error(fmt::format("nested deeper than {}", limits_.max_depth));
    ++pos_;
    Tree tree;
    tree.kind = Tree::list;
    skip_space();
    while (pos_ < text_.size() && text_[pos_] != ']') {
      std::optional<Tree> item = value();
      if (!item) return std::nullopt;
      tree.children.push_back(std::move(*item));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',')
        ++pos_, skip_space();
      else
        break;
    }
    if (pos_ >= text_.size() || text_[pos_] != ']') return error("expected `]`");
    ++pos_;
    --depth_;
    return tree;
  }

  std::optional<Tree> function(Tree::Kind kind) {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '(') return error("expected `(`");
    if (++depth_ > limits_.max_depth)
      return error(fmt::format("nested deeper than {}", limits_.max_depth));
    ++pos_;
    std::optional<Tree> argument = kind == Tree::exists ? path() : value();
    --depth_;
    skip_space();
    if (!argument) return std::nullopt;
    if (pos_ >= text_.size() || text_[pos_] != ')') return error("expected `)`");
    ++pos_;
    Tree tree;
    tree.kind = kind;
    tree.children.push_back(std::move(*argument));
    return tree;
  }

  std::optional<Tree> path() {
    skip_space();
    Tree tree;
    tree.kind = Tree::path;
    size_t start = pos_;
    if (keyword("output"))
      tree.output = true;
    else if (!keyword("state"))
      return error("a path starts with `state` or `output`");
    for (;;) {
      if (pos_ < text_.size() && text_[pos_] == '.') {
        size_t name = ++pos_;
        while (pos_ < text_.size() && is_word(text_[pos_])) ++pos_;
        if (pos_ == name) return error("expected a name after `.`");
        tree.steps.push_back({false, 0, std::string(text_.substr(name, pos_ - name))});
      } else if (pos_ < text_.size() && text_[pos_] == '[') {
        ++pos_;
        skip_space();
        Tree::Step step;
        if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
          std::optional<Tree> key = string_literal();
          if (!key) return std::nullopt;
          step.key = key->value.get<std::string>();
        } else {
          size_t digits = pos_;
          while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_])))
            ++pos_;
          if (pos_ == digits || pos_ - digits > 9) return error("expected an index");
          step.index = true;
          step.number = std::stoul(std::string(text_.substr(digits, pos_ - digits)));
        }
        skip_space();
        if (pos_ >= text_.size() || text_[pos_] != ']') return error("expected `]`");
        ++pos_;
        tree.steps.push_back(std::move(step));
      } else {
        break;
      }
    }
    if (tree.output && !tree.steps.empty()) return error("`output` is a string and has no fields");
    tree.text = std::string(text_.substr(start, pos_ - start));
    return tree;
  }

  std::string_view text_;
  const ExpressionLimits& limits_;
  size_t pos_ = 0;
  uint32_t depth_ = 0;
  std::string error_;
  size_t error_offset_ = 0;
};

// ---- evaluation ----------------------------------------------------------------------------

struct Context {
  const json& state;
  const std::string& output;
  std::string actual;
};

std::string show(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

json eval(const Tree& tree, Context& context);

json resolve_path(const Tree& tree, const Context& context) {
  if (tree.output) return context.output;
  const json* at = &context.state;
  for (const auto& step : tree.steps) {
    if (step.index) {
      if (!at->is_array() || step.number >= at->size()) return nullptr;
      at = &(*at)[step.number];
    } else {
      if (!at->is_object()) return nullptr;
      auto found = at->find(step.key);
      if (found == at->end()) return nullptr;
      at = &*found;
    }
  }
  return *at;
}

bool truthy(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_null()) return false;
  if (value.is_number()) return value.get<double>() != 0;
  if (value.is_string() || value.is_array() || value.is_object()) return !value.empty();
  return false;
}

/// Ordered comparison of numbers with numbers and strings with strings; anything else is false.
bool ordered(const std::string& op, const json& a, const json& b) {
  int order = 0;
  if (a.is_number() && b.is_number()) {
    double x = a.get<double>(), y = b.get<double>();
    order = x < y ? -1 : x > y ? 1 : 0;
  } else if (a.is_string() && b.is_string()) {
    order = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
  } else {
    return false;
  }
  return op == "<" ? order < 0 : op == "<=" ? order <= 0 : op == ">" ? order > 0 : order >= 0;
}

bool equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

bool contains(const json& needle, const json& haystack) {
  if (haystack.is_array()) {
    for (const auto& item : haystack)
      if (equal(needle, item)) return true;
    return false;
  }
  if (haystack.is_string() && needle.is_string())
    return haystack.get_ref<const std::string&>().find(needle.get_ref<const std::string&>()) !=
           std::string::npos;
  if (haystack.is_object() && needle.is_string())
    return haystack.contains(needle.get<std::string>());
  return false;
}

/// A condition's failure notes stay in context.actual only when it is false, so a report names
/// what failed and nothing that held.
bool condition(const Tree& tree, Context& context) {
  size_t mark = context.actual.size();
  bool value = truthy(eval(tree, context));
  if (value) context.actual.resize(mark);
  return value;
}

json eval_binary(const Tree& tree, Context& context) {
  // Both operands of `and` are evaluated (nothing has side effects), so a failed check lists
  // every operand that failed, not only the first.
  if (tree.op == "and") {
    bool left = condition(tree.children[0], context);
    bool right = condition(tree.children[1], context);
    return left && right;
  }
  if (tree.op == "or") {
    size_t mark = context.actual.size();
    bool value = condition(tree.children[0], context) || condition(tree.children[1], context);
    if (value) context.actual.resize(mark);
    return value;
  }
  json a = eval(tree.children[0], context), b = eval(tree.children[1], context);
  bool result = tree.op == "=="   ? equal(a, b)
                : tree.op == "!=" ? !equal(a, b)
                : tree.op == "in" ? contains(a, b)
                                  : ordered(tree.op, a, b);
  if (!result)
    context.actual +=
        fmt::format("{}{} {} {}", context.actual.empty() ? "" : "; ", show(a), tree.op, show(b));
  return result;
}

json eval(const Tree& tree, Context& context) {
  switch (tree.kind) {
  case Tree::literal:
    return tree.value;
  case Tree::path:
    return resolve_path(tree, context);
  case Tree::exists:
    return !resolve_path(tree.children[0], context).is_null();
  case Tree::length: {
    json v = eval(tree.children[0], context);
    if (v.is_string()) return v.get_ref<const std::string&>().size();
    if (v.is_array() || v.is_object()) return v.size();
    return nullptr;
  }
  case Tree::list: {
    json items = json::array();
    for (const auto& child : tree.children) items.push_back(eval(child, context));
    return items;
  }
  case Tree::unary_not:
    return !truthy(eval(tree.children[0], context));
  case Tree::binary:
    return eval_binary(tree, context);
  case Tree::matches: {
    json subject = eval(tree.children[0], context);
    bool matched = subject.is_string() &&
                   RE2::PartialMatch(subject.get_ref<const std::string&>(), *tree.regex);
    if (!matched)
      context.actual +=
          fmt::format("{}{} does not match", context.actual.empty() ? "" : "; ", show(subject));
    return matched;
  }
  }
  return nullptr;
}

} // namespace

std::optional<Expression> Expression::parse(std::string_view text, ExpressionError* error,
                                            const ExpressionLimits& limits) {
  std::optional<Tree> tree = Parser(text, limits).parse(error);
  if (!tree) return std::nullopt;
  return Expression(std::make_shared<const Tree>(std::move(*tree)));
}

Expression::Outcome Expression::evaluate(const std::string& state_json,
                                         const std::string& output) const {
  json state = json::parse(state_json, nullptr, false);
  if (state.is_discarded()) state = nullptr;
  Context context{state, output, {}};
  bool value = truthy(eval(*tree_, context));
  return {value, value ? std::string() : context.actual};
}

} // namespace og
