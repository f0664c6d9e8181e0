// vitte/log.hpp - the logging layer: levels, fields, sinks, the logger.
#ifndef VITTE_LOG_HPP
#define VITTE_LOG_HPP

#include <vitte/log/color.hpp>       // colour, decided as ninja does
#include <vitte/log/field.hpp>       // key=value fields
#include <vitte/log/format.hpp>      // text and JSON lines, escaping
#include <vitte/log/level.hpp>       // levels, the compile-time floor
#include <vitte/log/logger.hpp>      // the logger and the VITTE_LOG_* macros
#include <vitte/log/operations.hpp>  // log::ops
#include <vitte/log/sink.hpp>        // stream, file and callback sinks

#endif  // VITTE_LOG_HPP
