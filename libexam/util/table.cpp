#include <algorithm>

#include <exam/util/error.hpp>
#include <exam/util/table.hpp>
#include <exam/util/text.hpp>

namespace exam {

Table::Table(std::vector<TableColumn> columns) : m_columns(std::move(columns)) {}

void Table::add_row(std::vector<TableCell> cells) {
    if (cells.size() != m_columns.size()) {
        throw InternalError("table row has " + std::to_string(cells.size()) + " cells for " +
                            std::to_string(m_columns.size()) + " columns");
    }
    m_rows.push_back(std::move(cells));
}

void Table::render(std::ostream& out, const Palette& palette) const {
    std::vector<std::size_t> widths(m_columns.size());
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        widths[c] = display_width(m_columns[c].header);
        for (const auto& row : m_rows) {
            widths[c] = std::max(widths[c], display_width(row[c].text));
        }
    }
    auto write_line = [&](auto&& text_of, auto&& color_of) {
        std::string line;
        for (std::size_t c = 0; c < m_columns.size(); ++c) {
            const std::string& text = text_of(c);
            const bool last = c + 1 == m_columns.size();
            std::string cell;
            if (m_columns[c].align == Align::right) {
                cell = pad_left(text, widths[c]);
            } else {
                cell = last ? text : pad_right(text, widths[c]);
            }
            // Padding is measured on the plain text, then the whole cell is painted.
            line += palette.paint(cell, color_of(c));
            if (!last) {
                line += "  ";
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        out << line << '\n';
    };
    write_line([&](std::size_t c) -> const std::string& { return m_columns[c].header; },
               [](std::size_t) { return Color::bold; });
    for (const auto& row : m_rows) {
        write_line([&](std::size_t c) -> const std::string& { return row[c].text; },
                   [&](std::size_t c) { return row[c].color; });
    }
}

}  // namespace exam
